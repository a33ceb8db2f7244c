using System.Collections.Concurrent;
using System.Net;

namespace Vigil.Security.Limits;

/// <summary>Counts open connections per remote IP and in total for one listener family. Nothing is
/// exempt by default (DESIGN.md: auto-ban and limits exempt only networks the admin lists).</summary>
public sealed class ConnectionLimiter(int maxPerIp, int maxTotal)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private int _total;

    public int Total => Volatile.Read(ref _total);

    /// <summary>Reserves a slot; the returned lease releases it. Null when a limit is reached.</summary>
    public IDisposable? TryAcquire(IPAddress remote)
    {
        if (Interlocked.Increment(ref _total) > maxTotal)
        {
            Interlocked.Decrement(ref _total);
            return null;
        }
        var n = _perIp.AddOrUpdate(remote, 1, (_, v) => v + 1);
        if (n > maxPerIp)
        {
            Release(remote);
            return null;
        }
        return new Lease(this, remote);
    }

    private void Release(IPAddress remote)
    {
        Interlocked.Decrement(ref _total);
        while (true)
        {
            var current = _perIp.GetValueOrDefault(remote);
            if (current <= 1)
            {
                if (_perIp.TryRemove(new KeyValuePair<IPAddress, int>(remote, current))) return;
            }
            else if (_perIp.TryUpdate(remote, current - 1, current)) return;
        }
    }

    private sealed class Lease(ConnectionLimiter owner, IPAddress remote) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release(remote);
        }
    }
}
