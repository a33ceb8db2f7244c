namespace Vigil.Host.Config;

/// <summary>The audit log (docs/audit.md): how often a signed checkpoint anchors it and when the
/// active file is closed and a new one continues the chain.</summary>
public sealed class AuditConfig
{
    public int CheckpointEvery { get; set; } = 1000;
    public int RotateMegabytes { get; set; } = 32;
}
