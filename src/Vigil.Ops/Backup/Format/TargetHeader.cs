namespace Vigil.Ops.Backup.Format;

/// <summary><c>vigil-backup.json</c>, written once when the first restore point is made and never
/// changed: how every object in the target is stored, and the key of the instance that created it
/// (a trust anchor for verifying manifests on a machine that has no instance key).</summary>
public sealed record TargetHeader(
    string Format,
    DateTimeOffset Created,
    bool Compressed,
    bool Encrypted,
    string? KeyId,
    string CreatorPublicKey,
    string CreatorHostname)
{
    public const string CurrentFormat = "vigil-backup/1";
}
