using System.Diagnostics.Metrics;

namespace Vigil.Ops.Advisories;

/// <summary>Publishes the advisory state as metrics: <c>vigil_security_outdated{severity}</c> is the
/// number of advisories naming this build at each severity (all zero when current), and
/// <c>vigil_advisory_feed_stale</c> is 1 while the feed is stale or missing. The gauges live on a
/// meter of their own named like Vigil's shared meter, so the exporter picks them up and they go
/// away with the server that owns them.</summary>
public sealed class AdvisoryMetrics : IDisposable
{
    public const string MeterName = Vigil.Core.Observability.VigilMetrics.MeterName;
    private readonly Meter _meter = new(MeterName);

    /// <summary>This instance's meter (tests listen to exactly it).</summary>
    public Meter Meter => _meter;

    public AdvisoryMetrics(AdvisoryService advisories)
    {
        _meter.CreateObservableGauge("vigil_security_outdated", () =>
        {
            var affecting = advisories.Assess().Affecting;
            return Enum.GetValues<AdvisorySeverity>().Select(s => new Measurement<int>(
                affecting.Count(a => a.Severity == s), new KeyValuePair<string, object?>("severity", s.ToWire())));
        }, description: "Advisories naming this build, by severity");
        _meter.CreateObservableGauge("vigil_advisory_feed_stale", () => advisories.Assess().Feed == FeedHealth.Fresh ? 0 : 1,
            description: "1 while the advisory feed is stale or missing");
    }

    public void Dispose() => _meter.Dispose();
}
