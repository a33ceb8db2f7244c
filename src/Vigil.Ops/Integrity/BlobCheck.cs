using System.Security.Cryptography;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Alerts;

namespace Vigil.Ops.Integrity;

/// <summary>A blob's name is the SHA-256 of its content; a blob whose content no longer hashes to
/// its name was rewritten (encrypted, corrupted, replaced).</summary>
public static class BlobCheck
{
    /// <summary>Null when the blob file matches its name (or vanished meanwhile), otherwise the finding.</summary>
    public static IntegrityFinding? Verify(string path, string relative, string hex)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
            return Verify(stream, relative, hex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Re-hashes every body stored in the database, one at a time; returns how many and
    /// what was found. A finding is about <c>LOCATION/ID</c> (e.g. <c>vigil.db:blob_inline/ab12…</c>),
    /// so it says where the body is, and is otherwise that of a rewritten blob file.</summary>
    public static (List<IntegrityFinding> Findings, int Verified) VerifyAll(IDatabaseBlobs stored, CancellationToken ct = default)
    {
        var findings = new List<IntegrityFinding>();
        var verified = 0;
        foreach (var blob in stored.ReadAll(ct))
        {
            verified++;
            if (Verify(blob.Content, $"{stored.Location}/{blob.Name}", blob.Name) is { } mismatch) findings.Add(mismatch);
        }
        return (findings, verified);
    }

    /// <summary>Bodies a message still names that are gone: not in the database and no file of
    /// that name in the blob folder (deleted, or moved away by ransomware that renames what it
    /// encrypts). A file deleted one at a time raises no burst, and a deleted row no notification,
    /// so only this comparison finds them.</summary>
    public static List<IntegrityFinding> FindMissing(IDatabaseBlobs stored, string dataDirectory, CancellationToken ct = default)
    {
        var findings = new List<IntegrityFinding>();
        foreach (var id in stored.ReferencedElsewhere(ct))
        {
            var valid = BlobId.TryParse(id, out _);
            var relative = valid ? DataLayout.BlobPath(id) : $"{stored.Location}/{id}";
            if (valid && File.Exists(Path.Combine(dataDirectory, relative))) continue;
            findings.Add(new IntegrityFinding(AlertKinds.BlobMissing, relative, $"a stored message's body is gone: neither in {stored.Location} nor a file in blobs/"));
        }
        return findings;
    }

    private static IntegrityFinding? Verify(Stream content, string subject, string hex)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        return actual == hex ? null : new IntegrityFinding(AlertKinds.BlobMismatch, subject, $"content no longer matches its name (now hashes to {actual[..12]}…): rewritten or encrypted");
    }
}
