namespace Vigil.Ops.Integrity;

/// <summary>Counts rewrites and deletions of blobs in a sliding window. Blobs are immutable and
/// Vigil never rewrites one, so many of them changing at once is what mass encryption looks like.
/// Fires once per window, not on every further event.</summary>
public sealed class BlobBurstDetector(int threshold, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _events = new();
    private DateTimeOffset _lastFired = DateTimeOffset.MinValue;

    /// <summary>Records one event; returns the number of events in the window when this one makes it a burst.</summary>
    public int? Record(DateTimeOffset now)
    {
        _events.Enqueue(now);
        while (_events.Count > 0 && now - _events.Peek() > window) _events.Dequeue();
        if (_events.Count < threshold || now - _lastFired < window) return null;
        _lastFired = now;
        return _events.Count;
    }
}
