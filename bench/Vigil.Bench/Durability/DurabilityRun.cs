using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Vigil.Bench.Messages;
using Vigil.Bench.Smtp;
using Vigil.Bench.Store;
using Vigil.Host.Config;
using Vigil.Host.Hosting;

namespace Vigil.Bench.Durability;

/// <summary>Durability under load (issue 7): round after round, run the SMTP workload against
/// `vigil serve`, SIGKILL it at a random moment, restart it on the same data, and compare every
/// 250 the clients received with what the store holds.</summary>
public sealed class DurabilityRun(string vigil, string dataDir, string user, string domain, int rounds, int sessions, int seed, TextWriter log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var data = new DataDirectory(dataDir);
        var ackFile = Path.Combine(dataDir, "..", "durability-acked.tsv");
        File.Delete(ackFile);
        var random = new Random(seed);
        var acked = new List<string>();
        int lost = 0, duplicated = 0, corrupt = 0;
        var server = await StartAsync(data, ct);
        for (var round = 1; round <= rounds; round++)
        {
            var smtp = new IPEndPoint(IPAddress.Loopback, server.Port);
            var load = new SmtpLoad(new SmtpLoadOptions(smtp, sessions, 1_000_000, SizeMix.Parse("mix"), "load@remote.test", [$"{user}@{domain}"], TimeSpan.FromSeconds(120))
            {
                IdPrefix = $"r{round:D2}-",
                AckFile = ackFile,
                StopAfterFailures = sessions,
            });
            var running = load.RunAsync(ct);
            var killAfter = TimeSpan.FromMilliseconds(random.Next(500, 5000));
            await Task.Delay(killAfter, ct);
            server.Process.Kill(entireProcessTree: false);
            await server.Process.WaitForExitAsync(ct);
            await running.WaitAsync(TimeSpan.FromSeconds(120), ct);

            server = await StartAsync(data, ct); // the restart: recovery runs before listeners open
            acked = File.ReadAllLines(ackFile).Select(l => l.Split('\t')[0]).ToList();
            var check = await StoreCheck.RunAsync(dataDir, user, domain, acked, ct);
            lost = check.Lost.Count;
            duplicated = check.Duplicated.Count;
            corrupt = check.Corrupt.Count;
            var leftovers = Directory.EnumerateFiles(Path.Combine(data.Blobs, "tmp")).Count();
            log.WriteLine($"round {round,2}: killed after {killAfter.TotalMilliseconds,5:F0} ms with {load.Accepted,4} acknowledged this round; " +
                $"store holds {check.Stored} (acknowledged so far {acked.Count}, stored without a 250 {check.UnacknowledgedStored}); " +
                $"lost {lost}, duplicated {duplicated}, corrupt {corrupt}, temp files after restart {leftovers}");
            foreach (var id in check.Lost.Concat(check.Duplicated).Concat(check.Corrupt).Take(5)) log.WriteLine($"  problem: {id}");
        }
        server.Process.Kill(entireProcessTree: false);
        await server.Process.WaitForExitAsync(ct);
        log.WriteLine($"{rounds} rounds, {acked.Count} messages acknowledged: {lost} lost, {duplicated} duplicated, {corrupt} corrupt");
        return lost + duplicated + corrupt == 0 ? 0 : 1;
    }

    private async Task<(Process Process, int Port)> StartAsync(DataDirectory data, CancellationToken ct)
    {
        File.Delete(data.StatusFile);
        var psi = new ProcessStartInfo(vigil) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "serve", "--data", data.Root }) psi.ArgumentList.Add(a);
        // The benchmark machine runs as root; vigil serve refuses that unless told.
        if (Vigil.Host.Hosting.RootGuard.EffectiveUserId() == 0) psi.ArgumentList.Add("--allow-root");
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + vigil);
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"vigil serve exited with {p.ExitCode}");
            if (File.Exists(data.StatusFile))
            {
                var status = JsonSerializer.Deserialize<RunStatus>(await File.ReadAllTextAsync(data.StatusFile, ct), VigilConfig.Json);
                if (status?.Pid == p.Id) return (p, status.Listeners.Single(l => l.Name == "smtp").Port);
            }
            await Task.Delay(100, ct);
        }
        p.Kill();
        throw new TimeoutException("vigil serve did not start within 60 s");
    }
}
