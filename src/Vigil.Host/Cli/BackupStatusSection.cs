using Microsoft.Extensions.DependencyInjection;
using Vigil.Ops.Backup;

namespace Vigil.Host.Cli;

/// <summary>The backup lines of <c>vigil status</c>: health, newest good point, schedule,
/// last verification. Unhealthy (stale, failing, damaged) makes status exit non-zero.</summary>
public static class BackupStatusSection
{
    public static Task<bool> PrintAsync(CliContext ctx, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var r = ctx.Get<IBackupStatus>().Current(now);
        var newest = r.LastSuccess is { } t ? $"newest point {r.LastPoint}, {BackupStatus.Age(now - t)} ago" : "no restore point yet";
        var verified = r.LastVerify is { } v ? $"; verified {(r.LastVerifyOk == true ? "OK" : "DAMAGED")} {BackupStatus.Age(now - v)} ago" : "; not verified yet";
        var line = r.Health switch
        {
            BackupHealth.Off => $"off (no backup.target in vigil.json){(r.LastSuccess is null ? "" : "; " + newest)}",
            BackupHealth.Ok => $"OK: {newest} in {r.Target}; every {BackupStatus.Age(r.Interval)}{verified}",
            BackupHealth.Stale => $"STALE: {r.Problem}; target {r.Target}",
            BackupHealth.Failing => $"FAILING: {newest}, but the last run failed: {r.Problem}",
            _ => $"DAMAGED: {r.Problem} (see 'vigil backup verify --all')",
        };
        Console.WriteLine($"backup     {line}");
        return Task.FromResult(r.Health is BackupHealth.Off or BackupHealth.Ok);
    }
}
