using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Backup;

/// <summary>What the fleet heartbeat says of backups. A problem (the console's BACKUP-STALE flag)
/// when the newest good point is older than twice the schedule, when none exists yet, or when the
/// last verification found a damaged point (then there may be no good point to restore either).
/// An instance with no scheduled target is not flagged, but says so in the detail.</summary>
public sealed class BackupFleetFacts(IBackupStatus status) : IBackupFacts
{
    public ProblemFacts Current()
    {
        var r = status.Current(DateTimeOffset.UtcNow);
        var problem = r.IsStale || r.Health == BackupHealth.VerifyFailed;
        var newest = r.LastSuccess is { } t ? $"newest point {r.LastPoint} at {t.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : "no restore point";
        var detail = r.Health switch
        {
            BackupHealth.Off => $"no scheduled backups configured; {newest}",
            BackupHealth.VerifyFailed => $"damaged: {r.Problem}{(r.IsStale ? "; and stale" : "")}",
            BackupHealth.Stale => $"stale: {r.Problem}",
            BackupHealth.Failing => $"{newest}; last run failed: {r.Problem}",
            _ => $"{newest}{(r.LastVerifyOk == true ? ", verified" : ", not verified yet")}",
        };
        return new ProblemFacts(problem, detail);
    }
}
