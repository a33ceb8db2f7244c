using Vigil.Core.Model;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>When each body was last committed by a writer of this process, deduplicated or not.
/// Why: bodies are content-addressed, so a new message with the content of a released body finds
/// it already stored (a file that exists, or a row the writer's INSERT OR IGNORE keeps) and names
/// it in a row that commits a moment later, possibly in a later batch of the writer. The sweeper
/// must not delete the body in that gap. Every commit stamps its id under the id's stripe lock
/// before it looks for an existing body; the sweeper takes the same lock, skips an id stamped
/// within the grace period, and deletes the others before letting go. So a stamp either comes
/// first (the sweeper skips) or after the delete (the writer then finds no body and stores it again).</summary>
internal sealed class BlobClaims(TimeProvider time)
{
    private const int Stripes = 64;
    private readonly Lock[] _locks = Enumerable.Range(0, Stripes).Select(_ => new Lock()).ToArray();
    private const int MinPruneAbove = 1024;
    private readonly Dictionary<string, DateTimeOffset>[] _stamps = Enumerable.Range(0, Stripes).Select(_ => new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)).ToArray();
    private readonly int[] _pruneAbove = Enumerable.Repeat(MinPruneAbove, Stripes).ToArray();

    /// <summary>Stamps <paramref name="id"/> as committed now. Call before looking for an
    /// existing copy of the body.</summary>
    public void Claim(BlobId id)
    {
        var stripe = StripeOf(id.Hex);
        var now = time.GetUtcNow();
        lock (_locks[stripe])
        {
            var stamps = _stamps[stripe];
            stamps[id.Hex] = now;
            // Bounded even when no sweeper prunes (deletion turned off): stamps older than the
            // grace period protect nothing.
            if (stamps.Count <= _pruneAbove[stripe]) return;
            RemoveOlder(stamps, now - KeepFor);
            _pruneAbove[stripe] = Math.Max(MinPruneAbove, stamps.Count * 2);
        }
    }

    /// <summary>How long a stamp protects its body: the sweeper's grace period, set by each round.</summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Runs <paramref name="delete"/> under the id's lock unless the id was claimed at or
    /// after <paramref name="since"/>; returns whether it ran. Stamps older than that are
    /// forgotten here, which keeps the registry as small as the grace period's deliveries.</summary>
    public bool UnlessClaimedSince(string hex, DateTimeOffset since, Action delete)
    {
        var stripe = StripeOf(hex);
        lock (_locks[stripe])
        {
            if (_stamps[stripe].TryGetValue(hex, out var at))
            {
                if (at >= since) return false;
                _stamps[stripe].Remove(hex);
            }
            delete();
            return true;
        }
    }

    /// <summary>Forgets stamps older than <paramref name="before"/> (bodies claimed but never
    /// released again), so the registry does not grow with all mail ever delivered.</summary>
    public void Prune(DateTimeOffset before)
    {
        for (var i = 0; i < Stripes; i++)
        {
            lock (_locks[i]) RemoveOlder(_stamps[i], before);
        }
    }

    private static void RemoveOlder(Dictionary<string, DateTimeOffset> stamps, DateTimeOffset before)
    {
        foreach (var (hex, at) in stamps.Where(s => s.Value < before).ToList()) stamps.Remove(hex);
    }

    private static int StripeOf(string hex) => Convert.ToInt32(hex[..2], 16) % Stripes;
}
