using System.Globalization;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>The sweeper's state for <c>vigil status</c> and the metrics: bodies released and not
/// yet deleted (the oldest release among them), and what the sweeper has deleted in total and when
/// it last ran (kept in <c>meta</c> by <see cref="BlobSweeper"/>).</summary>
public sealed record BlobReleaseStatus(long Pending, DateTimeOffset? OldestRelease, long Deleted, long DeletedBytes, DateTimeOffset? LastSweep)
{
    public static BlobReleaseStatus Read(SqliteDatabase db)
    {
        using var c = db.Open();
        var (pending, oldest) = c.Query("SELECT count(*), min(released) FROM blob_release",
            r => (r.GetInt64(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1))).Single();
        var meta = c.Query("SELECT key, value FROM meta WHERE key LIKE 'blob_sweep.%'", r => (r.GetString(0), r.GetString(1)))
            .ToDictionary(m => m.Item1, m => long.Parse(m.Item2, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new BlobReleaseStatus(pending, Time(oldest), meta.GetValueOrDefault("blob_sweep.deleted"), meta.GetValueOrDefault("blob_sweep.bytes"),
            Time(meta.TryGetValue("blob_sweep.last", out var last) ? last : null));
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
