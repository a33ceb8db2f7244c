namespace Vigil.Core.Audit;

/// <summary>The newest signed audit checkpoint, as reported to the fleet console in heartbeats.
/// <see cref="Seq"/> entries were in the log when it was written and <see cref="EntryHash"/> is the
/// SHA-256 of entry <see cref="Seq"/>; <see cref="Hash"/> is the SHA-256 of the checkpoint record
/// itself. A console that once saw (Seq, EntryHash) and later sees a lower Seq, or the same Seq with
/// another hash, knows the log was truncated or rewritten even if this host cannot tell.</summary>
public sealed record AuditCheckpointInfo(long Seq, string EntryHash, string Hash, DateTimeOffset Time);

/// <summary>Where heartbeats read the newest checkpoint from.</summary>
public interface IAuditCheckpointSource
{
    /// <summary>The newest checkpoint, or null before the first one was written.</summary>
    AuditCheckpointInfo? Latest();
}
