using System.Collections.Concurrent;

namespace Vigil.Core.Submission;

/// <summary>Messages per account in a sliding hour. Kept in memory: a restart forgives the current
/// hour, which is a bounded leak (one hour's quota) and keeps a durable write off every submission.</summary>
public sealed class SendRateLimiter(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<long, Queue<DateTimeOffset>> _sent = new();

    /// <summary>True while the account has sent fewer than <paramref name="limit"/> messages in the last hour.</summary>
    public bool IsUnderLimit(long accountId, int limit)
    {
        if (limit <= 0) return true;
        if (!_sent.TryGetValue(accountId, out var times)) return true;
        lock (times)
        {
            Trim(times, clock.GetUtcNow());
            return times.Count < limit;
        }
    }

    public void Record(long accountId)
    {
        var times = _sent.GetOrAdd(accountId, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            var now = clock.GetUtcNow();
            Trim(times, now);
            times.Enqueue(now);
        }
    }

    private static void Trim(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && now - times.Peek() >= Window) times.Dequeue();
    }
}
