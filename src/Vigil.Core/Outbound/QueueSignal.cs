namespace Vigil.Core.Outbound;

/// <summary>Wakes the queue runner when new work arrives (an enqueue, a manual retry), so fresh
/// mail leaves at once instead of at the next poll. Many signals before a wait count as one.</summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _tcs = NewSource();

    public void Set() => _tcs.TrySetResult();

    /// <summary>Waits until <see cref="Set"/> or the timeout; returns true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        var current = Volatile.Read(ref _tcs);
        var signalled = false;
        try
        {
            await current.Task.WaitAsync(timeout, ct);
            signalled = true;
        }
        catch (TimeoutException)
        {
        }
        if (current.Task.IsCompleted) Interlocked.CompareExchange(ref _tcs, NewSource(), current);
        return signalled;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
