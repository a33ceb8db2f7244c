using System.Security.Cryptography;
using Vigil.Core.IO;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Sqlite.Backup;

/// <summary>Bulk writer of verified blobs into a new data directory: temp file in <c>blobs/tmp</c>,
/// hash checked, renamed to its hash name, read-only. No fsync per blob; <see cref="FlushAsync"/>
/// flushes the file system once at the end, before the restore declares itself complete.</summary>
internal sealed class FileBlobImporter(FileBlobStore store) : IBlobImporter
{
    public bool HasValid(BlobId id)
    {
        using var s = store.OpenRead(id);
        return s is not null && BlobId.FromHash(SHA256.HashData(s)) == id;
    }

    public async Task ImportAsync(BlobId expected, Stream content, CancellationToken ct)
    {
        var temp = Path.Combine(store.TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            var actual = BlobId.FromHash(hash.GetHashAndReset());
            if (actual != expected) throw new InvalidDataException($"Blob {expected} restored with content hashing to {actual}.");
            var final = store.PathOf(expected);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, overwrite: true); // a leftover from an interrupted run is replaced by verified bytes
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(final, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public Task FlushAsync(CancellationToken ct)
    {
        FileSystemSync.SyncFileSystemOf(store.Root);
        return Task.CompletedTask;
    }
}
