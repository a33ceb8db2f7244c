using System.Text.Json;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Fleet;

/// <summary>The builds the fleet tests run side by side: this one, and the same source published
/// with an older build number (<c>dotnet publish -p:VigilBuildNumber=1</c>) into artifacts/,
/// the way a forgotten server runs an old build. The side build keeps its own intermediate
/// files (<c>-p:VigilSideBuild</c>), so it never disturbs the normal build, and it is incremental
/// across runs.</summary>
public sealed class Builds : IAsyncLifetime
{
    public const int OlderBuildNumber = 1;

    public static string RepoRoot { get; } = FindRepoRoot();

    public string Current { get; } = Path.Combine(AppContext.BaseDirectory, "vigil.dll");
    public string Older { get; } = Path.Combine(RepoRoot, "artifacts", "test-builds", $"build-{OlderBuildNumber}", "vigil.dll");
    public string AdvisoriesTool { get; } = Path.Combine(RepoRoot, "src", "Vigil.Advisories.Tool", "bin", "Debug", "net10.0", "vigil-advisories.dll");
    public int CurrentBuildNumber { get; private set; }

    public async Task InitializeAsync()
    {
        var side = Path.Combine(RepoRoot, "artifacts", "test-builds");
        var publish = await ExternalTool.RunAsync("dotnet",
            ["publish", Path.Combine(RepoRoot, "src", "Vigil.Host"), "-c", "Debug", "--nologo", "-v", "q",
             $"-p:VigilBuildNumber={OlderBuildNumber}", $"-p:VigilSideBuild={Path.Combine(side, "side")}", "-o", Path.GetDirectoryName(Older)!],
            timeout: TimeSpan.FromMinutes(6), workingDirectory: RepoRoot);
        if (publish.ExitCode != 0) throw new InvalidOperationException($"publishing the older build failed: {publish}");
        CurrentBuildNumber = await BuildNumberAsync(Current);
        var older = await BuildNumberAsync(Older);
        if (older != OlderBuildNumber) throw new InvalidOperationException($"the published build says it is build {older}");
        if (CurrentBuildNumber <= OlderBuildNumber) throw new InvalidOperationException($"the current build ({CurrentBuildNumber}) is not newer than {OlderBuildNumber}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static async Task<int> BuildNumberAsync(string dll)
    {
        var version = await ExternalTool.RunAsync("dotnet", [dll, "version", "--json"]);
        using var doc = JsonDocument.Parse(version.Stdout);
        return doc.RootElement.GetProperty("buildNumber").GetInt32();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (Vigil.slnx)");
    }
}
