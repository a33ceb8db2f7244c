namespace Vigil.Core.Audit;

/// <summary>A signed audit checkpoint, as reported to the fleet console in heartbeats.
/// <see cref="Seq"/> entries were in the log when it was written and <see cref="EntryHash"/> is the
/// SHA-256 of entry <see cref="Seq"/>; <see cref="Hash"/> is the SHA-256 of the checkpoint record
/// itself, and <see cref="Prev"/> the hash of the checkpoint before it (checkpoints form a chain). A
/// console that once saw a checkpoint and later sees checkpoints that do not continue from it knows
/// the log was truncated or rewritten, even if this host cannot tell.</summary>
public sealed record AuditCheckpointInfo(long Seq, string EntryHash, string Hash, DateTimeOffset Time, string Prev);

/// <summary>Where heartbeats read the audit log's checkpoints and length from.</summary>
public interface IAuditCheckpointSource
{
    /// <summary>The newest checkpoint, or null before the first one was written.</summary>
    AuditCheckpointInfo? Latest();

    /// <summary>Every checkpoint, oldest first (one per thousand entries: a short list).</summary>
    IReadOnlyList<AuditCheckpointInfo> All();

    /// <summary>How many entries the log holds now: the sequence number of its newest entry.</summary>
    Task<long> CountAsync(CancellationToken ct);
}
