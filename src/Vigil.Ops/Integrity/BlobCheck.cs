using System.Security.Cryptography;
using Vigil.Ops.Alerts;

namespace Vigil.Ops.Integrity;

/// <summary>A blob's name is the SHA-256 of its content; a blob whose content no longer hashes to
/// its name was rewritten (encrypted, corrupted, replaced).</summary>
public static class BlobCheck
{
    /// <summary>Null when the blob matches its name (or vanished meanwhile), otherwise the finding.</summary>
    public static IntegrityFinding? Verify(string path, string relative, string hex)
    {
        string actual;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return actual == hex ? null : new IntegrityFinding(AlertKinds.BlobMismatch, relative, $"content no longer matches its name (now hashes to {actual[..12]}…): rewritten or encrypted");
    }
}
