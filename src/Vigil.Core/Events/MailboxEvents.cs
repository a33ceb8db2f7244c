using System.Collections.Concurrent;

namespace Vigil.Core.Events;

/// <summary>In-process publish/subscribe of mailbox changes, keyed by account so a subscriber
/// only ever hears about its own account.</summary>
public sealed class MailboxEvents
{
    private readonly ConcurrentDictionary<long, ImmutableHandlers> _byAccount = new();

    public IDisposable Subscribe(long accountId, Action<MailboxChange> handler)
    {
        _byAccount.AddOrUpdate(accountId, _ => new ImmutableHandlers([handler]), (_, h) => h.Add(handler));
        return new Subscription(this, accountId, handler);
    }

    public void Publish(MailboxChange change)
    {
        if (!_byAccount.TryGetValue(change.AccountId, out var handlers)) return;
        foreach (var h in handlers.Items) h(change);
    }

    private void Unsubscribe(long accountId, Action<MailboxChange> handler) =>
        _byAccount.AddOrUpdate(accountId, _ => new ImmutableHandlers([]), (_, h) => h.Remove(handler));

    private sealed record ImmutableHandlers(Action<MailboxChange>[] Items)
    {
        public ImmutableHandlers Add(Action<MailboxChange> h) => new([.. Items, h]);
        public ImmutableHandlers Remove(Action<MailboxChange> h) => new(Items.Where(x => x != h).ToArray());
    }

    private sealed class Subscription(MailboxEvents owner, long accountId, Action<MailboxChange> handler) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Unsubscribe(accountId, handler);
        }
    }
}
