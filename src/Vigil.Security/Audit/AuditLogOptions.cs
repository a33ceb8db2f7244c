namespace Vigil.Security.Audit;

/// <summary>How the audit log is laid out on disk and how often it is anchored by a signed checkpoint.</summary>
public sealed record AuditLogOptions(string Directory)
{
    /// <summary>A signed checkpoint is written after every this many entries (and at shutdown).</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>When the active file reaches this size, it is closed and a new one continues the chain.</summary>
    public long RotateBytes { get; init; } = 32L * 1024 * 1024;
}
