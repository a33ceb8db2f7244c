namespace Vigil.Core.Outbound;

/// <summary>Holds outbound delivery while the instance is locked down. Mail keeps being queued
/// (nothing is lost); the delivery worker waits in <see cref="WaitWhilePausedAsync"/> before each
/// attempt and carries on where it stopped once the pause is lifted.</summary>
public sealed class OutboundPause
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _resumed = NewResumed();

    public bool IsPaused { get; private set; }
    public string? Reason { get; private set; }

    public void Pause(string reason)
    {
        lock (_lock)
        {
            if (!IsPaused) _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            IsPaused = true;
            Reason = reason;
        }
    }

    public void Resume()
    {
        lock (_lock)
        {
            IsPaused = false;
            Reason = null;
            _resumed.TrySetResult();
        }
    }

    /// <summary>Returns at once when not paused, otherwise when <see cref="Resume"/> is called.</summary>
    public Task WaitWhilePausedAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            return IsPaused ? _resumed.Task.WaitAsync(ct) : Task.CompletedTask;
        }
    }

    private static TaskCompletionSource NewResumed()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
