using System.Diagnostics.Metrics;
using Vigil.Core.Observability;

namespace Vigil.Ops.Backup.Scheduling;

/// <summary>Backup gauges on a meter named like Vigil's (<see cref="VigilMetrics.MeterName"/>, so
/// the Prometheus exporter publishes them; docs/metrics.md), read from <see cref="IBackupStatus"/>
/// at scrape time and gone when the host that owns them is disposed:
/// <c>vigil_backup_last_success_timestamp_seconds</c> (unix time of the newest good point; alert
/// when it falls behind), <c>vigil_backup_stale</c> (1 when BACKUP-STALE; only with a schedule) and
/// <c>vigil_backup_last_verify_ok</c> (1 intact, 0 damaged; absent before the first verification).</summary>
public sealed class BackupMetrics : IDisposable
{
    private readonly Meter _meter = new(VigilMetrics.MeterName);

    /// <summary>This instance's meter (tests listen to exactly it).</summary>
    public Meter Meter => _meter;

    public BackupMetrics(IBackupStatus status)
    {
        BackupStatusReport Now() => status.Current(DateTimeOffset.UtcNow);
        _meter.CreateObservableGauge("vigil_backup_last_success_timestamp", () =>
            Now().LastSuccess is { } t ? [new Measurement<double>(t.ToUnixTimeMilliseconds() / 1000.0)] : Array.Empty<Measurement<double>>(),
            unit: "s", description: "Unix time of the newest restore point that completed");
        _meter.CreateObservableGauge("vigil_backup_stale", () =>
            Now() is { Health: not BackupHealth.Off } or { IsStale: true } ? [new Measurement<int>(Now().IsStale ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 when the newest good restore point is older than twice the schedule");
        _meter.CreateObservableGauge("vigil_backup_last_verify_ok", () =>
            Now().LastVerifyOk is { } ok ? [new Measurement<int>(ok ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 when the last verification found every point intact");
    }

    public void Dispose() => _meter.Dispose();
}
