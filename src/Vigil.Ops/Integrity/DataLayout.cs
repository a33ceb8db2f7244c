using System.Text.RegularExpressions;
using Vigil.Ops.Principals;
using Vigil.Security.Audit;

namespace Vigil.Ops.Integrity;

/// <summary>What may exist in the data directory, and nothing else: a file or folder that no rule
/// allows is an unexpected file (a dropped tool, a script among the blobs, a ransom note). Rules
/// are by name and place, never by content, so checking is cheap enough for every watcher event.
/// Paths are relative to the data directory with '/' separators.</summary>
public static partial class DataLayout
{
    /// <summary>Files written atomically by Vigil pass through a temporary name first:
    /// "status.json.tmp", <c>AtomicFile</c>'s ".name.&lt;guid&gt;.tmp", and the session-end
    /// requests' "&lt;time&gt;-&lt;guid&gt;.tmp".</summary>
    [GeneratedRegex(@"^(\.[^/]+\.[0-9a-f]{32}\.tmp|[^/.][^/]*\.jsonl?\.tmp|[0-9]{17}-[0-9a-f]{32}\.tmp)$")]
    private static partial Regex TempName();

    [GeneratedRegex("^[0-9a-f]{2}$")]
    private static partial Regex Fan();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex BlobName();

    // .tmp: a blob being written; .spool: a received message over 256 KB held while the inbound
    // checks read it (MessageSpool). Both are named by Vigil from a GUID.
    [GeneratedRegex("^[0-9a-f]{32}\\.(tmp|spool)$")]
    private static partial Regex BlobTemp();

    private static readonly HashSet<string> RootFiles = new(StringComparer.Ordinal)
    {
        "vigil.json", "vigil.json.tmp", ConfigSeal.FileName, ConfigSeal.FileName + ".tmp", "lockdown.json", "lockdown.json.tmp",
        "vigil.db", "vigil.db-wal", "vigil.db-shm", "vigil.db-journal",
        ".vigil-restore.json",
        "vigil.db-sweep.lock", // BlobSweepLock: backups and restores hold off the body sweeper
    };

    /// <summary>Folders of state files written by Vigil's features: only these kinds of names.</summary>
    private static readonly Dictionary<string, string[]> StateTrees = new(StringComparer.Ordinal)
    {
        ["run"] = [".json"],
        ["advisories"] = [".json"],
        ["fleet"] = [".json", ".jsonl"],
        ["backup"] = [".json", ".db", ".db-wal", ".db-shm", ".jsonl"],
        ["certs"] = [".pem", ".crt", ".key"],
        ["secrets"] = [".key", ".pub", ".secret", ".json"],
    };

    /// <summary>Null when <paramref name="relativePath"/> may exist, otherwise why it may not.</summary>
    public static string? Check(string relativePath, bool isDirectory)
    {
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        var top = parts[0];
        if (parts.Length == 1)
        {
            if (isDirectory) return top is "blobs" or "audit" || StateTrees.ContainsKey(top) ? null : "no such folder belongs in the data directory";
            return RootFiles.Contains(top) ? null : "no such file belongs in the data directory";
        }
        if (top == "blobs") return CheckBlobs(parts, isDirectory);
        if (top == "audit") return parts.Length == 2 && !isDirectory && (AuditFiles.IsLogFileName(parts[1]) || parts[1] == PrincipalBaseline.FileName || TempName().IsMatch(parts[1])) ? null : "not an audit log file";
        if (StateTrees.TryGetValue(top, out var extensions))
        {
            if (isDirectory) return null;
            var name = parts[^1];
            if (name == ".lock" || TempName().IsMatch(name) || extensions.Any(e => name.EndsWith(e, StringComparison.Ordinal) && name.Length > e.Length)) return null;
            return $"not a kind of file Vigil keeps in {top}/";
        }
        return "no such folder belongs in the data directory";
    }

    /// <summary>blobs/ab/abcd… (named by its own SHA-256, in the folder its name starts with),
    /// and blobs/tmp/&lt;32 hex&gt;.tmp or .spool for writes in progress.</summary>
    private static string? CheckBlobs(string[] parts, bool isDirectory)
    {
        if (parts[1] == "tmp")
        {
            if (parts.Length == 2) return isDirectory ? null : "blobs/tmp must be a folder";
            return parts.Length == 3 && !isDirectory && BlobTemp().IsMatch(parts[2]) ? null : "not a blob being written";
        }
        if (!Fan().IsMatch(parts[1])) return "not a blob folder";
        if (parts.Length == 2) return isDirectory ? null : "not a blob folder";
        if (parts.Length == 3 && !isDirectory && BlobName().IsMatch(parts[2]) && parts[2].StartsWith(parts[1], StringComparison.Ordinal)) return null;
        return "not a blob: blobs are named by the SHA-256 of their content, in the folder their name starts with";
    }

    /// <summary>Where a committed blob file lives, relative to the data directory: blobs/ab/&lt;64 hex&gt;.</summary>
    public static string BlobPath(string hex) => $"blobs/{hex[..2]}/{hex}";

    /// <summary>True for a committed blob path (blobs/ab/&lt;64 hex&gt;), whose content must hash to its name.</summary>
    public static bool IsBlob(string relativePath, out string hex)
    {
        var parts = relativePath.Split('/');
        hex = parts.Length == 3 ? parts[2] : "";
        return parts.Length == 3 && parts[0] == "blobs" && parts[1] != "tmp" && CheckBlobs(parts, false) is null;
    }

    public static bool IsConfig(string relativePath) => relativePath == "vigil.json";
}
