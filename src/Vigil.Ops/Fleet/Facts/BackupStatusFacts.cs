using Vigil.Ops.Backup;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Facts;

/// <summary>Reports the backup state in heartbeats: a problem (BACKUP-STALE on the console) when
/// scheduled backups promise points and the last good one is too old; the detail names the health.</summary>
public sealed class BackupStatusFacts(IBackupStatus status, TimeProvider time) : IBackupFacts
{
    public ProblemFacts Current()
    {
        var r = status.Current(time.GetUtcNow());
        var detail = r.Health.ToString().ToLowerInvariant() + (r.Problem is null ? "" : ": " + r.Problem);
        return new ProblemFacts(r.IsStale, detail.Length > 300 ? detail[..300] : detail);
    }
}
