namespace Vigil.Core.Storage;

/// <summary>Bodies the store's own sweeper deleted in the last <see cref="Window"/>, by blob id
/// (hex). The integrity watch counts a blob file that disappears as possible mass destruction
/// (integrity.blob_burst); a body the sweeper removed after its grace period is not that, so the
/// sweeper records each id here before it unlinks the file and the watch skips ids found here.
/// Only this process's own deletions are recorded: a file deleted by anyone else still counts.</summary>
public sealed class RecentBlobDeletions(TimeProvider time)
{
    /// <summary>Long enough for the watch to see the notification (it batches for a fraction of a
    /// second, or rescans after a lost notification), short enough that the set stays small.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, DateTimeOffset> _deleted = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _pruneAbove = 1024;

    public RecentBlobDeletions() : this(TimeProvider.System) { }

    /// <summary>Records that the sweeper is about to delete the body <paramref name="hex"/>.</summary>
    public void Record(string hex)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _deleted[hex] = now;
            if (_deleted.Count <= _pruneAbove) return;
            Prune(now);
            _pruneAbove = Math.Max(1024, _deleted.Count * 2);
        }
    }

    /// <summary>True when the sweeper deleted <paramref name="hex"/> within the window.</summary>
    public bool Contains(string hex)
    {
        lock (_lock)
        {
            return _deleted.TryGetValue(hex, out var at) && time.GetUtcNow() - at <= Window;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (hex, at) in _deleted.ToList())
        {
            if (now - at > Window) _deleted.Remove(hex);
        }
    }
}
