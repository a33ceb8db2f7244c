using Vigil.Ops.Backup.Retention;

namespace Vigil.Ops.Backup;

/// <summary>The <c>backup</c> section of <c>DATA/vigil.json</c> (docs/backups.md).
/// <see cref="Target"/> null means scheduled backups are off (the CLI still works with --to).</summary>
public sealed record BackupSettings
{
    /// <summary>A directory (absolute, or relative to the data directory) or <c>s3://bucket/prefix</c>.</summary>
    public string? Target { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);
    public RetentionPolicy Retention { get; init; } = new();

    /// <summary>Whether the server applies retention after each scheduled backup. Off for a target
    /// the server may only append to; then prune runs on the backup host (docs/backups.md).</summary>
    public bool Prune { get; init; } = true;

    /// <summary>Compression for a target created by this instance; an existing target keeps its own.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>AES-256-GCM key file (kept apart from the target); null for no encryption.</summary>
    public string? KeyFile { get; init; }

    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromDays(1);
    public int Parallelism { get; init; } = 4;

    /// <summary>Further Ed25519 public keys (base64) whose manifests verify, e.g. the key of the
    /// instance this one was restored from.</summary>
    public IReadOnlyList<string> TrustedKeys { get; init; } = [];

    /// <summary>A point older than this is stale (BACKUP-STALE in the fleet): twice the schedule.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan StaleAfter => Interval * 2;

    /// <summary>These settings with a relative target directory and key file taken as relative to
    /// <paramref name="dataDirectory"/>.</summary>
    public BackupSettings ResolvedAgainst(string dataDirectory) => this with
    {
        Target = Target is null || Target.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? Target : Path.GetFullPath(Target, dataDirectory),
        KeyFile = KeyFile is null ? null : Path.GetFullPath(KeyFile, dataDirectory),
    };
}
