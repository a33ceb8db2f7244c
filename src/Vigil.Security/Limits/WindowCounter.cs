namespace Vigil.Security.Limits;

/// <summary>Counts events per key over a sliding time window (failed logins per IP, connections
/// per IP per minute, recipients per hour). The window is cut into <see cref="Slots"/> slots, so a
/// key costs a few dozen bytes however busy it is, and the count is exact to one slot's width.
/// The number of keys is bounded: when full, idle keys are dropped first, then the least recently
/// used tenth, so a flood of distinct sources cannot exhaust memory.</summary>
public sealed class WindowCounter<TKey> where TKey : notnull
{
    public const int Slots = 12;

    private readonly long _slotTicks;
    private readonly int _maxKeys;
    private readonly TimeProvider _time;
    private readonly Dictionary<TKey, Window> _windows = new();
    private readonly Lock _gate = new();

    public WindowCounter(TimeSpan window, int maxKeys, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(Slots));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _slotTicks = window.Ticks / Slots;
        _maxKeys = maxKeys;
        _time = time;
    }

    public int KeyCount
    {
        get { lock (_gate) return _windows.Count; }
    }

    /// <summary>Records <paramref name="amount"/> events now; returns the count in the window, these included.</summary>
    public int Add(TKey key, int amount = 1)
    {
        var slot = CurrentSlot();
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var w))
            {
                if (_windows.Count >= _maxKeys) MakeRoom(slot);
                w = new Window(slot);
                _windows[key] = w;
            }
            w.Advance(slot);
            w.Counts[slot % Slots] += amount;
            w.Total += amount;
            return w.Total;
        }
    }

    /// <summary>The count in the window, without recording anything.</summary>
    public int Count(TKey key)
    {
        var slot = CurrentSlot();
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var w)) return 0;
            w.Advance(slot);
            return w.Total;
        }
    }

    public void Reset(TKey key)
    {
        lock (_gate) _windows.Remove(key);
    }

    private long CurrentSlot() => _time.GetUtcNow().UtcTicks / _slotTicks;

    private void MakeRoom(long slot)
    {
        foreach (var (k, w) in _windows)
        {
            w.Advance(slot);
            if (w.Total == 0) _windows.Remove(k);
        }
        if (_windows.Count < _maxKeys) return;
        var evict = Math.Max(1, _maxKeys / 10);
        foreach (var k in _windows.OrderBy(kv => kv.Value.LastSlot).Take(evict).Select(kv => kv.Key).ToList()) _windows.Remove(k);
    }

    private sealed class Window(long slot)
    {
        public readonly int[] Counts = new int[Slots];
        public long LastSlot = slot;
        public int Total;

        /// <summary>Zeroes the slots that fell out of the window since the last event.</summary>
        public void Advance(long slot)
        {
            if (slot <= LastSlot) return;
            var gap = Math.Min(slot - LastSlot, Slots);
            for (var i = 1; i <= gap; i++)
            {
                var index = (int)((LastSlot + i) % Slots);
                Total -= Counts[index];
                Counts[index] = 0;
            }
            LastSlot = slot;
        }
    }
}
