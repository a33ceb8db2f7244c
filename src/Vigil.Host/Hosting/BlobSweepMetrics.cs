using System.Diagnostics.Metrics;
using Vigil.Core.Observability;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Host.Hosting;

/// <summary><c>vigil_deleted_bodies_total</c> and <c>vigil_deleted_body_bytes_total</c> (what the
/// sweeper deleted since the server started) and <c>vigil_released_bodies</c> (bodies of deleted
/// mail waiting for their grace period, read at scrape time); docs/metrics.md.</summary>
public sealed class BlobSweepMetrics : IDisposable
{
    private readonly Meter _meter = new(VigilMetrics.MeterName);
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _bytes;

    public BlobSweepMetrics(SqliteDatabase db)
    {
        _deleted = _meter.CreateCounter<long>("vigil_deleted_bodies", description: "Bodies of deleted mail removed from disk");
        _bytes = _meter.CreateCounter<long>("vigil_deleted_body_bytes", description: "Bytes of deleted mail removed from disk");
        _meter.CreateObservableGauge("vigil_released_bodies", () => BlobReleaseStatus.Read(db).Pending,
            description: "Bodies no message references, waiting for the grace period before deletion");
    }

    public void Count(BlobSweepRound round)
    {
        if (round.Deleted == 0) return;
        _deleted.Add(round.Deleted);
        _bytes.Add(round.Bytes);
    }

    public void Dispose() => _meter.Dispose();
}
