using System.Diagnostics;
using System.Text.Json;
using Vigil.Host.Config;
using Vigil.Host.Hosting;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>Vigil as a separate OS process (`vigil serve`), for tests that kill it.</summary>
public sealed class VigilProcess : IAsyncDisposable
{
    private readonly Process _process;

    private VigilProcess(Process process, RunStatus status, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        Status = status;
        Output = output;
    }

    public RunStatus Status { get; }

    /// <summary>Every line the server wrote to stdout and stderr so far (its log).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; }
    public int Port(string listener) => Status.Listeners.Single(l => l.Name == listener).Port;

    /// <summary>Starts <c>vigil serve</c> from the test's own build, or from <paramref name="dll"/>
    /// (another build, e.g. one published with an older build number).</summary>
    public static async Task<VigilProcess> StartAsync(DataDirectory data, string? dll = null)
    {
        File.Delete(data.StatusFile);
        // Through env(1) so signals start at their default: a suite started with nohup or as a
        // background job passes SIGHUP/SIGINT down as ignored, and tests send both.
        var psi = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--default-signal=HUP,INT,TERM", "dotnet", dll ?? Path.Combine(AppContext.BaseDirectory, "vigil.dll"), "serve", "--data", data.Root }) psi.ArgumentList.Add(a);
        // The suite runs as root on CI; vigil serve refuses that unless told (RootGuard).
        if (RootGuard.EffectiveUserId() == 0) psi.ArgumentList.Add("--allow-root");
        var p = Process.Start(psi)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"vigil serve exited with {p.ExitCode}:\n{string.Join('\n', output)}");
            if (File.Exists(data.StatusFile))
            {
                var status = JsonSerializer.Deserialize<RunStatus>(await File.ReadAllTextAsync(data.StatusFile), VigilConfig.Json);
                if (status?.Pid == p.Id) return new VigilProcess(p, status, output);
            }
            await Task.Delay(100);
        }
        p.Kill(true);
        throw new TimeoutException($"vigil serve did not start:\n{string.Join('\n', output)}");
    }

    /// <summary>SIGKILL: no drain, no flush, no cleanup — a power cut as far as Vigil can tell.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
