using System.Collections.Concurrent;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>RFC 1939 §8: a POP3 server holds an exclusive lock on a maildrop from a successful
/// login until the session ends, so a second concurrent login gets [IN-USE] (RFC 2449 §8.1.2).
/// The lock is in-process, per account; a cluster of nodes would need it in the shared store.</summary>
public sealed class MaildropLocks
{
    private readonly ConcurrentDictionary<long, Lease> _held = new();

    /// <summary>Takes the account's lock, or returns null when another session holds it.</summary>
    public IDisposable? TryAcquire(long accountId)
    {
        var lease = new Lease(this, accountId);
        return _held.TryAdd(accountId, lease) ? lease : null;
    }

    public bool IsHeld(long accountId) => _held.ContainsKey(accountId);

    private sealed class Lease(MaildropLocks owner, long accountId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._held.TryRemove(new KeyValuePair<long, Lease>(accountId, this));
            }
        }
    }
}
