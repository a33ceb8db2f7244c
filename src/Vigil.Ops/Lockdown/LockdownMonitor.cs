using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Ops.Lockdown;

/// <summary>The running server's view of the lockdown. It reads the persisted state when it is
/// created (so the gates refuse from the first connection after a restart) and then polls the file,
/// so a lockdown engaged by the CLI in another process takes effect within one poll interval.
/// On each change it tells every <see cref="ILockdownParticipant"/>.</summary>
public sealed partial class LockdownMonitor : BackgroundService
{
    private readonly LockdownStore _store;
    private readonly IReadOnlyList<ILockdownParticipant> _participants;
    private readonly TimeSpan _poll;
    private readonly ILogger<LockdownMonitor> _logger;
    private readonly Lock _lock = new();
    private (bool, long, DateTime) _stamp;
    private bool _applied;

    public LockdownMonitor(LockdownStore store, IEnumerable<ILockdownParticipant> participants, LockdownOptions options, ILogger<LockdownMonitor> logger)
    {
        _store = store;
        _participants = participants.ToList();
        _poll = options.PollInterval;
        _logger = logger;
        _stamp = store.Stamp();
        Current = store.Read();
    }

    /// <summary>The lockdown in force, or null. Read by the connection gates on every accept.</summary>
    public LockdownState? Current { get; private set; }

    public bool IsLockedDown => Current is not null;

    /// <summary>Re-reads the file now (after an in-process change) instead of at the next poll.</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            var stamp = _store.Stamp();
            if (_applied && stamp == _stamp) return;
            _stamp = stamp;
            var previous = Current;
            Current = _store.Read();
            if (_applied && previous == Current) return;
            _applied = true;
            Apply(previous, Current);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_poll);
        do
        {
            try
            {
                Refresh();
            }
            catch (IOException ex)
            {
                LogPollFailed(_logger, ex.Message); // a half-written file: read it again next tick
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Apply(LockdownState? previous, LockdownState? current)
    {
        if (current is not null)
        {
            LogEngaged(_logger, current.Reason, current.Actor, current.Source, string.Join(", ", current.Allow));
            foreach (var p in _participants) p.Engaged(current);
        }
        else if (previous is not null)
        {
            LogLifted(_logger);
            foreach (var p in _participants) p.Lifted();
        }
    }

    [LoggerMessage(EventId = 10101, EventName = "lockdown.engaged", Level = LogLevel.Critical, Message = "LOCKDOWN engaged: {Reason} (by {Actor} via {Source}; admin HTTP allowed from: {Allow})")]
    private static partial void LogEngaged(ILogger logger, string reason, string actor, string source, string allow);

    [LoggerMessage(EventId = 10102, EventName = "lockdown.lifted", Level = LogLevel.Warning, Message = "Lockdown lifted: listeners accept work again, outbound delivery resumes")]
    private static partial void LogLifted(ILogger logger);

    [LoggerMessage(EventId = 10103, EventName = "lockdown.poll_failed", Level = LogLevel.Warning, Message = "Could not read the lockdown file: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);
}

/// <summary>How often the server looks at the lockdown file.</summary>
public sealed record LockdownOptions(TimeSpan PollInterval);
