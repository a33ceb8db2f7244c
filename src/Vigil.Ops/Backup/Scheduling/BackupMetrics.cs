using System.Diagnostics.Metrics;
using Vigil.Core.Observability;

namespace Vigil.Ops.Backup.Scheduling;

/// <summary>Backup gauges on the shared <see cref="VigilMetrics.Meter"/> (docs/metrics.md), read
/// from <see cref="IBackupStatus"/> at scrape time:
/// <c>vigil_backup_last_success_timestamp_seconds</c> (unix time of the newest good point; alert
/// when it falls behind), <c>vigil_backup_stale</c> (1 when BACKUP-STALE) and
/// <c>vigil_backup_last_verify_ok</c> (1 intact, 0 damaged; absent before the first verification).</summary>
public sealed class BackupMetrics
{
    private static IBackupStatus? _status;
    private static int _created;

    public BackupMetrics(IBackupStatus status)
    {
        // Observable instruments live as long as the meter; register them once per process and let
        // them read whichever status the newest host registered.
        _status = status;
        if (Interlocked.Exchange(ref _created, 1) == 1) return;
        VigilMetrics.Meter.CreateObservableGauge("vigil_backup_last_success_timestamp", () =>
            Current()?.LastSuccess is { } t ? [new Measurement<double>(t.ToUnixTimeMilliseconds() / 1000.0)] : Array.Empty<Measurement<double>>(),
            unit: "s", description: "Unix time of the newest restore point that completed");
        VigilMetrics.Meter.CreateObservableGauge("vigil_backup_stale", () =>
            Current() is { } r ? [new Measurement<int>(r.IsStale ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 when the newest good restore point is older than twice the schedule");
        VigilMetrics.Meter.CreateObservableGauge("vigil_backup_last_verify_ok", () =>
            Current()?.LastVerifyOk is { } ok ? [new Measurement<int>(ok ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 when the last verification found every point intact");
    }

    private static BackupStatusReport? Current() => _status?.Current(DateTimeOffset.UtcNow);
}
