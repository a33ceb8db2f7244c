using System.Text.RegularExpressions;

namespace Vigil.Ops.Backup.Format;

/// <summary>The layout of a backup target. Every path is built here from validated parts: object
/// names are lower-case hex, point ids are <see cref="RestorePointId"/>s, the rest are constants.
/// <code>
/// vigil-backup.json                 target header (format, compression, encryption key id, key)
/// blobs/ab/&lt;name&gt;               message bodies, shared by every point that references them
/// points/&lt;id&gt;.fN                  database snapshot, config, audit log (and secrets if encrypted)
/// points/&lt;id&gt;.blobs.idx          every blob object of the point with its size and SHA-256
/// points/&lt;id&gt;.manifest.json      every file of the point with its size and SHA-256
/// points/&lt;id&gt;.manifest.sig       Ed25519 signature of manifest.json; written last: the commit
/// points/&lt;id&gt;.verified-&lt;t&gt;.json  results of later verifications
/// </code>
/// Files only ever go into 257 directories that can all exist before the first backup
/// (<c>blobs/00</c>…<c>blobs/ff</c> and <c>points</c>), so an admin can make each of them
/// append-only (<c>chattr +a</c>) and the server can add files but never remove one (docs/backups.md).</summary>
public static partial class TargetPaths
{
    public const string Header = "vigil-backup.json";
    public const string BlobsPrefix = "blobs/";
    public const string PointsPrefix = "points/";

    public static string Blob(string objectName)
    {
        if (!HexName().IsMatch(objectName)) throw new ArgumentException("An object name is 64 lower-case hex characters.", nameof(objectName));
        return $"{BlobsPrefix}{objectName[..2]}/{objectName}";
    }

    /// <summary>The object name of a blob path, or null when the path is not a blob object.</summary>
    public static string? BlobName(string path)
    {
        if (!path.StartsWith(BlobsPrefix, StringComparison.Ordinal)) return null;
        var name = path[(path.LastIndexOf('/') + 1)..];
        return HexName().IsMatch(name) && path == Blob(name) ? name : null;
    }

    /// <summary>The prefix every file of a point starts with.</summary>
    public static string Point(RestorePointId id) => $"{PointsPrefix}{id}.";
    public static string Manifest(RestorePointId id) => $"{Point(id)}manifest.json";
    public static string Signature(RestorePointId id) => $"{Point(id)}manifest.sig";
    public static string BlobIndex(RestorePointId id) => $"{Point(id)}blobs.idx";
    public static string VerificationRecord(RestorePointId id, DateTimeOffset at) => $"{Point(id)}verified-{at.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}.json";

    /// <summary>The <paramref name="n"/>th data file of a point; the manifest says which data path it restores to.</summary>
    public static string DataFile(RestorePointId id, int n) => $"{Point(id)}f{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The point a path belongs to, or null.</summary>
    public static RestorePointId? PointOf(string path)
    {
        if (!path.StartsWith(PointsPrefix, StringComparison.Ordinal)) return null;
        var rest = path[PointsPrefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && RestorePointId.TryParse(rest[..dot], out var id) ? id : null;
    }

    /// <summary>A data-directory relative path as recorded in a manifest: lower-case segments of
    /// letters, digits, '.', '_' and '-', never starting with '.'. Checked again at restore, so even
    /// a signed manifest cannot point a restore outside the new data directory.</summary>
    public static void EnsureDataPath(string dataPath)
    {
        if (!DataPath().IsMatch(dataPath)) throw new InvalidDataException($"'{dataPath}' is not a valid data file path.");
    }

    public static bool IsValidDataPath(string dataPath) => DataPath().IsMatch(dataPath);

    /// <summary>Every target path has this shape; anything else is refused before it reaches a file system.</summary>
    public static void EnsureValid(string path)
    {
        if (!TargetPath().IsMatch(path)) throw new ArgumentException($"'{path}' is not a backup target path.", nameof(path));
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*(/[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*)*$")]
    private static partial Regex DataPath();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*)*$")]
    private static partial Regex TargetPath();
}
