using System.Security.Cryptography;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Writes a temp file while hashing; commit = fsync, rename to the hash name, fsync the
/// directory. The file is created read-only (0440): the open descriptor can still write it, and no
/// later chmod is needed.</summary>
internal sealed class FileBlobWriter : IBlobWriter
{
    private readonly FileBlobStore _store;
    private readonly string _tempPath;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _committed;

    public FileBlobWriter(FileBlobStore store, string tempPath)
    {
        _store = store;
        _tempPath = tempPath;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            // Callers hand over large chunks (the SMTP session buffers 64 KB); a second buffer here
            // would only copy the bytes once more.
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.GroupRead;
        _file = new FileStream(tempPath, options);
    }

    public long Length { get; private set; }

    /// <summary>Writes synchronously: the bytes go to the page cache (microseconds), and .NET
    /// implements asynchronous file writes on Linux by queueing them to the thread pool, which
    /// costs more than the write. The slow part, fsync, happens at commit, off the pool.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _hash.AppendData(data.Span);
        _file.Write(data.Span);
        Length += data.Length;
        return ValueTask.CompletedTask;
    }

    public async Task<BlobId> CommitAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var id = BlobId.FromHash(_hash.GetHashAndReset());
        await DiskSyncThreads.RunAsync(() => Publish(id));
        _committed = true;
        return id;
    }

    private bool Publish(BlobId id)
    {
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        var final = _store.PathOf(id);
        var dir = _store.EnsureFanOutDirectory(id);
        // Before looking: a body the sweeper deletes after this stamp is not found here and is
        // written again; one it would delete before is kept for the grace period (BlobClaims).
        _store.Claims.Claim(id);
        if (File.Exists(final))
        {
            File.Delete(_tempPath); // identical content is already durable
            return false;
        }
        File.Move(_tempPath, final);
        Vigil.Core.IO.FileSystemSync.Fsync(dir);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _hash.Dispose();
        if (!_committed)
        {
            try { File.Delete(_tempPath); } catch (IOException) { }
        }
    }
}
