using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>The server's own schedule (seconds instead of an hour here): points appear, retention
/// and verification run, each is audited, <c>vigil status</c> and the Prometheus scrape show it;
/// when the target stops taking points, status and the metric turn to BACKUP-STALE after twice
/// the interval. Runs alone: every in-process server exports on a meter named "Vigil", and a
/// concurrent test's server would answer for the same gauge names in this server's scrape.</summary>
[Collection(MetricsAlone.Name)]
public sealed class BackupScheduleTests
{
    [Fact]
    public async Task Scheduled_points_are_audited_shown_in_status_and_metrics_and_go_stale_when_the_target_fails()
    {
        var work = Temp("schedule");
        var target = Path.Combine(work, "target");
        var points = Path.Combine(target, "points");
        var port = FreePort();
        try
        {
            await using var server = await TestServer.StartAsync(c =>
            {
                c.Ports.Metrics = port;
                c.Backup = c.Backup with { Target = target, Interval = TimeSpan.FromSeconds(2), VerifyInterval = TimeSpan.FromSeconds(1) };
            });
            await server.AddUserAsync("dave");
            await SendAsync(server.Port("smtp"), $"dave@{TestServer.Domain}", WriteMessages(Path.Combine(work, "sent"), 1, 10), connections: 1);

            var status = await UntilAsync(() => VigilCli.RunAsync(server.Data.Root, "status"), r => r.Stdout.Contains("backup     OK", StringComparison.Ordinal) && r.Stdout.Contains("verified OK", StringComparison.Ordinal));
            Assert.Matches(@"backup     OK: newest point \d{8}T\d{6}Z", status.Stdout);
            var audit = await UntilAsync(() => VigilCli.RunAsync(server.Data.Root, "audit", "show", "--action", "backup."),
                r => r.Stdout.Contains("backup.create", StringComparison.Ordinal) && r.Stdout.Contains("backup.verify", StringComparison.Ordinal) && r.Stdout.Contains("backup.prune", StringComparison.Ordinal));
            Assert.Matches(@"vigil\s+scheduler\s+backup\.create\s+\S+\s+result=ok", audit.Stdout);

            using var http = new HttpClient();
            var scrape = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            var stamp = double.Parse(Regex.Match(scrape, @"^vigil_backup_last_success_timestamp_seconds(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - stamp, -5, 60);
            Assert.Matches(@"(?m)^vigil_backup_stale(\{[^}]*\})? 0", scrape);

            // The target stops accepting new points (immutable, even for root).
            await Chattr("+i", points);
            try
            {
                status = await UntilAsync(() => VigilCli.RunAsync(server.Data.Root, "status"), r => r.Stdout.Contains("backup     STALE", StringComparison.Ordinal));
                Assert.Equal(2, status.ExitCode);
                scrape = await UntilAsync(async () => await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"), s => Regex.IsMatch(s, @"(?m)^vigil_backup_stale(\{[^}]*\})? 1"));
                audit = await VigilCli.RunAsync(server.Data.Root, "audit", "show", "--action", "backup.create");
                Assert.Contains("result=failed", audit.Stdout);
            }
            finally
            {
                await Chattr("-i", points);
            }
        }
        finally
        {
            MakeWritableAndDelete(work);
        }
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"condition not met in 30 s; last: {value}");
            await Task.Delay(250);
        }
    }

    private static async Task Chattr(string flag, string path)
    {
        var r = await ExternalTool.RunAsync("chattr", [flag, path]);
        Assert.True(r.ExitCode == 0, "chattr needs root and ext4/xfs/btrfs: " + r);
    }

}

/// <summary>Tests that read Prometheus gauges run after the parallel ones, with no other server alive.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsAlone
{
    public const string Name = "metrics-alone";
}
