using System.Diagnostics.Metrics;
using Vigil.Core.Observability;
using Vigil.Core.Storage;

namespace Vigil.Core.Indexing;

/// <summary><c>vigil_fts_pending</c>: messages stored but not yet in the full-text index (the
/// background indexer's backlog), read from the store at scrape time (docs/metrics.md). On a meter
/// named like Vigil's, so the Prometheus exporter publishes it; gone when its owner is disposed.</summary>
public sealed class TextIndexMetrics : IDisposable
{
    private readonly Meter _meter = new(VigilMetrics.MeterName);

    /// <summary>This instance's meter (tests listen to exactly it).</summary>
    public Meter Meter => _meter;

    public TextIndexMetrics(ITextIndexStore store)
    {
        // The SQLite store answers synchronously; a scrape is rare and the count is one index scan.
        _meter.CreateObservableGauge("vigil_fts_pending", () => store.CountPendingAsync(CancellationToken.None).GetAwaiter().GetResult(),
            description: "Messages stored but not yet in the full-text index");
    }

    public void Dispose() => _meter.Dispose();
}
