using System.Security.Cryptography;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Writes a temp file while hashing; commit = fsync, rename to the hash name, fsync the
/// directory, make read-only.</summary>
internal sealed class FileBlobWriter(FileBlobStore store, string tempPath) : IBlobWriter
{
    private readonly FileStream _file = new(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _committed;

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        _hash.AppendData(data.Span);
        await _file.WriteAsync(data, ct);
        Length += data.Length;
    }

    public async Task<BlobId> CommitAsync(CancellationToken ct)
    {
        await _file.FlushAsync(ct);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync();
        var id = BlobId.FromHash(_hash.GetHashAndReset());
        var final = store.PathOf(id);
        var dir = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(dir);
        if (File.Exists(final))
        {
            File.Delete(tempPath); // identical content is already durable
        }
        else
        {
            File.Move(tempPath, final);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(final, UnixFileMode.UserRead | UnixFileMode.GroupRead);
            DirectorySync.Fsync(dir);
        }
        _committed = true;
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _hash.Dispose();
        if (!_committed)
        {
            try { File.Delete(tempPath); } catch (IOException) { }
        }
    }
}
