using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Ops.Backup.Targets;

namespace Vigil.Ops.Backup.Scheduling;

/// <summary>The server's backup job: a restore point every <see cref="BackupSettings.Interval"/>
/// (the first one at start when the last is older than that), retention after each one when
/// <see cref="BackupSettings.Prune"/> is on, and a verification of every point once per
/// <see cref="BackupSettings.VerifyInterval"/>. Times come from <see cref="BackupState"/>, so a
/// restart or a manual <c>vigil backup create</c> moves the schedule instead of doubling work.
/// Failures are audited and logged by <see cref="BackupRunner"/> and retried at the next slot.</summary>
public sealed partial class BackupScheduler(BackupRunner runner, BackupStateStore state, ILogger<BackupScheduler> logger) : BackgroundService
{
    /// <summary>How often the schedule is looked at again (a CLI run may have changed the state).</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = runner.Settings;
        if (settings.Target is not { } target) return;
        LogScheduled(logger, target, settings.Interval, settings.VerifyInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            var s = state.Read();
            try
            {
                if (IsDue(s.LastAttempt, settings.Interval, now))
                {
                    await runner.CreateAsync(target, RunOrigin.Scheduler, keyFile: null, compress: null, progress: null, stoppingToken);
                    if (settings.Prune) await runner.PruneAsync(target, Retention.TargetPruner.DefaultGrace, dryRun: false, RunOrigin.Scheduler, stoppingToken);
                    s = state.Read();
                }
                // Checked after a create too, so a create that takes longer than the interval
                // cannot starve verification.
                if (IsDue(s.LastVerify, settings.VerifyInterval, DateTimeOffset.UtcNow) && s.LastSuccess is not null)
                {
                    await runner.VerifyAsync(target, points: null, [], RunOrigin.Scheduler, progress: null, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (BackupTargetBusyException ex)
            {
                LogBusy(logger, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Already audited and recorded by the runner; the schedule carries on.
                LogRunFailed(logger, ex.Message);
            }
            var next = Next(state.Read(), settings, DateTimeOffset.UtcNow);
            var wait = next - DateTimeOffset.UtcNow;
            if (wait > Tick) wait = Tick;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static bool IsDue(DateTimeOffset? last, TimeSpan every, DateTimeOffset now) => last is null || now - last >= every;

    /// <summary>When the next job is due: the earlier of the next point and the next verification.</summary>
    public static DateTimeOffset Next(BackupState s, BackupSettings settings, DateTimeOffset now)
    {
        var create = (s.LastAttempt ?? now) + (s.LastAttempt is null ? TimeSpan.Zero : settings.Interval);
        var verify = s.LastSuccess is null ? DateTimeOffset.MaxValue : (s.LastVerify ?? now) + (s.LastVerify is null ? TimeSpan.Zero : settings.VerifyInterval);
        return create < verify ? create : verify;
    }

    [LoggerMessage(EventId = 11030, EventName = "backup.scheduled", Level = LogLevel.Information, Message = "Backups to {Target} every {Interval}, verified every {VerifyInterval}")]
    private static partial void LogScheduled(ILogger logger, string target, TimeSpan interval, TimeSpan verifyInterval);

    [LoggerMessage(EventId = 11031, EventName = "backup.busy", Level = LogLevel.Warning, Message = "Scheduled backup skipped: {Message}")]
    private static partial void LogBusy(ILogger logger, string message);

    [LoggerMessage(EventId = 11032, EventName = "backup.run-failed", Level = LogLevel.Warning, Message = "Scheduled backup job failed, retried at the next slot: {Message}")]
    private static partial void LogRunFailed(ILogger logger, string message);
}
