namespace Vigil.Ops.Backup.Targets;

/// <summary>Turns a TARGET argument into a target: <c>s3://bucket/prefix</c> for an S3-compatible
/// store (endpoint and credentials from the environment, docs/backups.md), anything else a local or
/// mounted directory.</summary>
public static class BackupTargets
{
    public static IBackupTarget Open(string location)
    {
        if (string.IsNullOrWhiteSpace(location)) throw new ArgumentException("No backup target given.", nameof(location));
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) return S3Target.FromUri(location);
        return new LocalDirectoryTarget(location);
    }
}
