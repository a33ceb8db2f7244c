namespace Vigil.Ops.Backup.Format;

/// <summary>A restore point's <c>manifest.json</c>: what it is, and every file it consists of
/// with size and SHA-256 of the stored bytes. Blob objects are listed, with the same detail, in the
/// blob index file, which this manifest lists in turn; <c>manifest.sig</c> signs these exact bytes,
/// so one signature covers every byte of the point.</summary>
public sealed record BackupManifest(
    string Format,
    string Id,
    DateTimeOffset Created,
    string Hostname,
    string SignerPublicKey,
    bool Compressed,
    bool Encrypted,
    string? KeyId,
    string? Previous,
    PointStats Stats,
    IReadOnlyList<ManifestFile> Files,
    ManifestFile BlobIndex);

/// <summary>One stored file: <see cref="Path"/> is where it belongs in a data directory,
/// <see cref="Object"/> where it is in the target; size and SHA-256 are of the stored bytes.</summary>
public sealed record ManifestFile(DataFileRole Role, string Path, string Object, long Size, string Sha256);

/// <summary>What a data file is, which decides how a restore treats it.</summary>
public enum DataFileRole
{
    Database,
    Config,
    Audit,
    Secret,
    BlobIndex,
}

/// <summary>Counts and sizes of a restore point. <see cref="NewBytes"/> is what this run added to
/// the target (new blobs and the point's own files); <see cref="StoredBytes"/> everything it references.</summary>
public sealed record PointStats(
    long Accounts,
    long Mailboxes,
    long Messages,
    long MessageBytes,
    long Blobs,
    long StoredBytes,
    long NewObjects,
    long NewBytes,
    long DurationMs);
