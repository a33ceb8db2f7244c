namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>Runs the real <c>vigil</c> command line in its own process, as an admin would: a
/// separate process matters for everything the CLI and the server share through the data
/// directory (audit lock, lockdown file, session-end requests).</summary>
public static class VigilCli
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "vigil.dll");

    public static Task<ExternalTool.Result> RunAsync(string dataDirectory, params string[] args) =>
        ExternalTool.RunAsync("dotnet", [Dll, "--data", dataDirectory, .. args], timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs the command line of another build (e.g. an older one published beside this one).</summary>
    public static Task<ExternalTool.Result> RunBuildAsync(string dll, string dataDirectory, params string[] args) =>
        ExternalTool.RunAsync("dotnet", [dll, "--data", dataDirectory, .. args], timeout: TimeSpan.FromSeconds(60));

    public static Task<ExternalTool.Result> RunWithInputAsync(string dataDirectory, string stdin, params string[] args) =>
        ExternalTool.RunAsync("dotnet", [Dll, "--data", dataDirectory, .. args], stdin, TimeSpan.FromSeconds(60));
}
