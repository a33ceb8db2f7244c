using Vigil.Ops.Backup.Scheduling;

namespace Vigil.Ops.Backup;

/// <summary>The backup state in one word, for the fleet heartbeat and <c>vigil status</c>.</summary>
public enum BackupHealth
{
    /// <summary>No target configured for scheduled backups (manual points may still exist).</summary>
    Off,
    Ok,
    /// <summary>The last good point is older than twice the schedule, or there is none yet (BACKUP-STALE).</summary>
    Stale,
    /// <summary>The last run failed, though the last good point is still recent.</summary>
    Failing,
    /// <summary>The last verification found a damaged point.</summary>
    VerifyFailed,
}

/// <summary>One reading of the backup state. <see cref="Health"/> is the worst thing true now;
/// <see cref="IsStale"/> is reported on its own, so a damaged point does not hide staleness.</summary>
public sealed record BackupStatusReport(
    BackupHealth Health,
    bool IsStale,
    string? Target,
    DateTimeOffset? LastSuccess,
    string? LastPoint,
    DateTimeOffset? LastVerify,
    bool? LastVerifyOk,
    string? Problem,
    TimeSpan Interval)
{
}

/// <summary>Small status interface for the fleet heartbeat and metrics (the fleet engineer reads
/// <see cref="Current"/>; nothing else of the backup code is needed).</summary>
public interface IBackupStatus
{
    BackupStatusReport Current(DateTimeOffset now);
}

/// <summary>Derives the report from the settings and <see cref="BackupState"/>.</summary>
public sealed class BackupStatus(BackupSettings settings, BackupStateStore state) : IBackupStatus
{
    public BackupStatusReport Current(DateTimeOffset now) => Evaluate(settings, state.Read(), now);

    public static BackupStatusReport Evaluate(BackupSettings settings, BackupState s, DateTimeOffset now)
    {
        // Stale (the fleet's BACKUP-STALE) only means something when a schedule promises points.
        var stale = settings.Target is not null && (s.LastSuccess is null || now - s.LastSuccess > settings.StaleAfter);
        var health = s.LastVerifyOk == false ? BackupHealth.VerifyFailed
            : settings.Target is null ? BackupHealth.Off
            : stale ? BackupHealth.Stale
            : s.LastErrorAt > s.LastSuccess ? BackupHealth.Failing
            : BackupHealth.Ok;
        var problem = health switch
        {
            BackupHealth.Stale when s.LastSuccess is null => "no backup has succeeded yet" + (s.LastError is null ? "" : ": " + s.LastError),
            BackupHealth.Stale => $"the last good point is {Age(now - s.LastSuccess!.Value)} old (schedule {Age(settings.Interval)})" + (s.LastErrorAt > s.LastSuccess ? "; last error: " + s.LastError : ""),
            BackupHealth.VerifyFailed => s.LastVerifyProblem,
            BackupHealth.Failing => s.LastError,
            _ => null,
        };
        return new BackupStatusReport(health, stale, settings.Target ?? s.Target, s.LastSuccess, s.LastPoint, s.LastVerify, s.LastVerifyOk, problem, settings.Interval);
    }

    public static string Age(TimeSpan t) =>
        t.TotalDays >= 2 ? $"{(int)t.TotalDays} d" : t.TotalHours >= 2 ? $"{(int)t.TotalHours} h" : t.TotalMinutes >= 2 ? $"{(int)t.TotalMinutes} min" : $"{(int)Math.Max(0, t.TotalSeconds)} s";
}
