using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Targets;

namespace Vigil.Ops.Backup.Verify;

/// <summary>The result of one verification, kept in the target beside the point
/// (<c>verified-TIME.json</c>, a new file each time: the target stays append-only) so that
/// <c>vigil backup list</c> shows it from any machine. It is informational: a restore verifies
/// again and never relies on it.</summary>
public sealed record VerificationRecord(DateTimeOffset Time, bool Ok, long Objects, long Bytes, IReadOnlyList<VerifyProblem> Problems)
{
    public static async Task<bool> TryWriteAsync(IBackupTarget target, VerifyResult result, CancellationToken ct)
    {
        var record = new VerificationRecord(DateTimeOffset.UtcNow, result.Ok, result.Objects, result.Bytes, result.Problems);
        try
        {
            var bytes = BackupJson.Serialize(record);
            await target.WriteNewAsync(TargetPaths.VerificationRecord(result.Id, record.Time), (s, c) => s.WriteAsync(bytes, c).AsTask(), ct);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // a read-only target can still be verified; it just keeps no record
        }
    }

    public static async Task<VerificationRecord?> ReadLatestAsync(BackupRepository repo, PointListing point, CancellationToken ct)
    {
        if (point.LatestVerification is not { } path) return null;
        var bytes = await repo.ReadSmallAsync(path, ct);
        if (bytes is null) return null;
        try { return BackupJson.Deserialize<VerificationRecord>(bytes, path); }
        catch (InvalidDataException) { return null; }
    }
}
