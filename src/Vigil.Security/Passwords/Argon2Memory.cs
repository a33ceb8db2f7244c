namespace Vigil.Security.Passwords;

/// <summary>The memory Argon2 fills, kept for the next hash instead of mapped and unmapped each
/// time. At most <c>keep</c> buffers are kept (19 MiB each at the default cost), and none once no
/// hash has run for <c>idleRelease</c>, so a quiet server does not hold them. A buffer is zeroed
/// before it is kept, because its blocks would let anyone who reads the process's memory test
/// guesses at a fraction of Argon2's cost.</summary>
internal sealed class Argon2Memory(int keep, TimeSpan idleRelease)
{
    /// <summary>The process's pool: as many buffers as hashes run at once (one per CPU, see
    /// <c>login.maxConcurrentChecks</c>), at most four; released after 30 s without a hash.</summary>
    public static readonly Argon2Memory Shared = new(Math.Clamp(Environment.ProcessorCount, 1, 4), TimeSpan.FromSeconds(30));

    private readonly Stack<ulong[]> _free = new();
    private readonly Lock _lock = new();
    private long _lastUse;
    private Timer? _release;

    public ulong[] Rent(int words)
    {
        lock (_lock)
        {
            _lastUse = Environment.TickCount64;
            while (_free.TryPop(out var buffer))
            {
                if (buffer.Length == words) return buffer;
            }
        }
        return GC.AllocateUninitializedArray<ulong>(words);
    }

    public void Return(ulong[] buffer, int used)
    {
        Array.Clear(buffer, 0, used);
        lock (_lock)
        {
            _lastUse = Environment.TickCount64;
            if (_free.Count < keep) _free.Push(buffer);
            _release ??= new Timer(_ => ReleaseIfIdle(Environment.TickCount64), null, idleRelease, idleRelease);
        }
    }

    /// <summary>Buffers kept now.</summary>
    public int Kept
    {
        get
        {
            lock (_lock) return _free.Count;
        }
    }

    /// <summary>Drops the kept buffers when no hash has run for the idle time before <paramref name="now"/> (milliseconds, as <see cref="Environment.TickCount64"/>).</summary>
    public void ReleaseIfIdle(long now)
    {
        lock (_lock)
        {
            if (now - _lastUse < idleRelease.TotalMilliseconds) return;
            _free.Clear();
            _release?.Dispose();
            _release = null;
        }
    }
}
