using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Ops.Backup.Format;

namespace Vigil.Ops.Backup.Retention;

/// <summary>The only code that deletes from a target. Removes points the policy no longer keeps
/// (the signature first, so a half-removed point reads as incomplete, never as a damaged good one),
/// incomplete points older than the grace period, and then blob objects no remaining point
/// references and that are older than the grace period (a create in progress elsewhere may be
/// about to reference a fresh one). If any kept point cannot be read, no blob is removed.</summary>
public sealed partial class TargetPruner(BackupRepository repo, ManifestTrust trust, ILogger? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);

    public async Task<PruneResult> PruneAsync(RetentionPolicy policy, TimeSpan grace, bool dryRun, CancellationToken ct)
    {
        await using var targetLock = await repo.Target.LockAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var points = await repo.ListPointsAsync(ct);
        var keep = policy.Keep(points.Where(p => p.IsComplete).Select(p => p.Id));
        var doomed = points.Where(p => p.IsComplete ? !keep.Contains(p.Id) : now - p.Id.Time > grace).ToList();

        long objects = 0, bytes = 0;
        foreach (var point in doomed)
        {
            LogPointRemoved(_log, point.Id.Value, point.IsComplete);
            if (dryRun) continue;
            var signature = TargetPaths.Signature(point.Id);
            foreach (var o in point.Objects.OrderBy(o => o.Path == signature ? 0 : 1))
            {
                await repo.Target.DeleteAsync(o.Path, ct);
                objects++;
                bytes += o.Size;
            }
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var survivors = points.Where(p => p.IsComplete && keep.Contains(p.Id)).ToList();
        foreach (var point in survivors)
        {
            try
            {
                var manifest = await repo.ReadManifestAsync(point.Id, trust, ct);
                referenced.UnionWith((await repo.ReadBlobIndexAsync(manifest, ct)).Keys);
            }
            catch (BackupVerificationException ex)
            {
                LogBlobGcSkipped(_log, point.Id.Value, ex.Message);
                return new PruneResult(doomed.Select(p => p.Id).ToList(), objects, bytes, BlobsSkipped: true);
            }
        }

        await foreach (var o in repo.Target.ListAsync(TargetPaths.BlobsPrefix, ct))
        {
            if (TargetPaths.BlobName(o.Path) is not { } name || referenced.Contains(name) || now - o.LastModified < grace) continue;
            if (!dryRun) await repo.Target.DeleteAsync(o.Path, ct);
            objects++;
            bytes += o.Size;
        }
        return new PruneResult(doomed.Select(p => p.Id).ToList(), objects, bytes, BlobsSkipped: false);
    }

    [LoggerMessage(EventId = 11010, EventName = "backup.point-removed", Level = LogLevel.Information, Message = "Retention removes point {PointId} (complete: {Complete})")]
    private static partial void LogPointRemoved(ILogger logger, string pointId, bool complete);

    [LoggerMessage(EventId = 11011, EventName = "backup.blob-gc-skipped", Level = LogLevel.Warning, Message = "Unreferenced blobs are kept because point {PointId} cannot be read: {Problem}")]
    private static partial void LogBlobGcSkipped(ILogger logger, string pointId, string problem);
}

/// <summary>What a prune removed (or would remove, in a dry run).</summary>
public sealed record PruneResult(IReadOnlyList<RestorePointId> RemovedPoints, long RemovedObjects, long RemovedBytes, bool BlobsSkipped);
