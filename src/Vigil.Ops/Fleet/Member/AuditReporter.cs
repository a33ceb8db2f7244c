using Vigil.Core.Audit;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Member;

/// <summary>What a heartbeat says about the audit log: its length and the checkpoints from the
/// newest one the console has acknowledged (a heartbeat it answered) up to the newest, so the
/// console can follow the chain link by link however many were written between two heartbeats.
/// Before the first acknowledgement (a fresh start) it sends the newest few.</summary>
public sealed class AuditReporter(IAuditCheckpointSource source)
{
    /// <summary>At most this many checkpoints per heartbeat (100,000 entries at the default
    /// interval); more than that since the last acknowledged one is a gap the console reports.</summary>
    public const int MaxCheckpoints = 100;

    /// <summary>What a heartbeat carries when no acknowledged checkpoint is known.</summary>
    public const int FreshCheckpoints = 10;

    private volatile string? _acknowledged;

    public async Task<AuditFacts> CurrentAsync(CancellationToken ct)
    {
        var all = source.All();
        var from = _acknowledged is { } hash ? LastIndexOf(all, hash) : -1;
        var take = from < 0 ? all.Skip(Math.Max(0, all.Count - FreshCheckpoints)) : all.Skip(from);
        var checkpoints = take.TakeLast(MaxCheckpoints).Select(c => new CheckpointFacts(c.Seq, c.EntryHash, c.Hash, c.Prev, c.Time)).ToList();
        return new AuditFacts(await source.CountAsync(ct), checkpoints);
    }

    /// <summary>The console answered a heartbeat that carried <paramref name="sent"/>.</summary>
    public void Acknowledge(AuditFacts? sent)
    {
        if (sent?.Checkpoints is [.., var newest]) _acknowledged = newest.Hash;
    }

    private static int LastIndexOf(IReadOnlyList<AuditCheckpointInfo> all, string hash)
    {
        for (var i = all.Count - 1; i >= 0; i--)
        {
            if (all[i].Hash == hash) return i;
        }
        return -1;
    }
}
