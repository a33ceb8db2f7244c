using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Message bodies as read-only files named by their SHA-256 under <c>blobs/ab/abcd…</c>;
/// partial writes live in <c>blobs/tmp</c> under names we generate.
/// One level of 256 folders, not two (65,536): with two, nearly every message of a store under
/// ~100,000 messages created a folder, and a new folder costs a mkdir and two more directory
/// fsyncs before the 250 (measured with strace on smtp-source: 3 of the 5 fsyncs per message),
/// plus an inotify watch for the integrity watch. ext4 indexes large directories (htree), so a
/// million blobs in 256 folders is ~4,000 per folder.</summary>
public sealed class FileBlobStore : IBlobStore
{
    public string Root { get; }
    public string TempDirectory { get; }

    /// <summary>Bodies of this store committed lately, which the sweeper must not delete (see <see cref="BlobClaims"/>).</summary>
    internal BlobClaims Claims { get; }

    /// <param name="time">The clock of the commit stamps (<see cref="BlobClaims"/>); the sweeper's, in tests.</param>
    public FileBlobStore(string root, TimeProvider? time = null)
    {
        Root = root;
        Claims = new BlobClaims(time ?? TimeProvider.System);
        TempDirectory = System.IO.Path.Combine(root, "tmp");
        Directory.CreateDirectory(TempDirectory);
    }

    /// <summary>The only way a blob path is formed: from a validated <see cref="BlobId"/>.</summary>
    public string PathOf(BlobId id) => System.IO.Path.Combine(Root, id.Hex[..2], id.Hex);

    // Fan-out directories known to exist, so a commit does not ask the filesystem again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _directories = new(StringComparer.Ordinal);

    /// <summary>Returns the directory a blob lives in, creating it the first time. A directory
    /// created here is made durable too (its entry in the root), or a blob renamed into it could
    /// vanish with it after a power cut.</summary>
    internal string EnsureFanOutDirectory(BlobId id)
    {
        var dir = System.IO.Path.Combine(Root, id.Hex[..2]);
        if (_directories.ContainsKey(dir)) return dir;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            Vigil.Core.IO.FileSystemSync.Fsync(Root);
        }
        _directories.TryAdd(dir, true);
        return dir;
    }

    public IBlobWriter CreateWriter() => new FileBlobWriter(this, System.IO.Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".tmp"));

    public Stream? OpenRead(BlobId id)
    {
        try
        {
            // Unbuffered (bufferSize 0): a FileStream buffer is allocated on the first read smaller
            // than it, and every reader here either reads in large chunks (FETCH bodies, backups)
            // or brings its own buffer (MimeKit's parser). A 64 KB buffer per open was 55 % of the
            // bytes the IMAP load allocated (headers of every FETCH) and the largest left per
            // APPEND (the indexer) (dotnet-trace AllocationTick; docs/benchmarks.md).
            return new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public bool Exists(BlobId id) => File.Exists(PathOf(id));

    public long GetSize(BlobId id) => new FileInfo(PathOf(id)).Length;

    /// <summary>Moves blobs of the earlier two-level layout (<c>blobs/ab/cd/abcd…</c>) to
    /// <c>blobs/ab/abcd…</c> and removes the emptied folders. Called at start-up before listeners
    /// open; each move is a rename within one file system, made durable before its old folder goes,
    /// so a crash half-way leaves every blob in one of the two places and the next start finishes.
    /// Returns the number of blobs moved.</summary>
    public int MigrateTwoLevelLayout()
    {
        var moved = 0;
        foreach (var top in Directory.EnumerateDirectories(Root))
        {
            var topName = System.IO.Path.GetFileName(top);
            if (topName == "tmp") continue;
            foreach (var sub in Directory.EnumerateDirectories(top))
            {
                foreach (var file in Directory.EnumerateFiles(sub))
                {
                    var target = System.IO.Path.Combine(top, System.IO.Path.GetFileName(file));
                    if (File.Exists(target)) File.Delete(file); // same name, same content
                    else File.Move(file, target);
                    moved++;
                }
                Vigil.Core.IO.FileSystemSync.Fsync(top);
                Directory.Delete(sub);
            }
        }
        if (moved > 0) Vigil.Core.IO.FileSystemSync.Fsync(Root);
        return moved;
    }

    /// <summary>Removes temporary files left by a crash (anything in tmp is by definition
    /// uncommitted). Called at start-up before listeners open.</summary>
    public int CleanTemp()
    {
        var n = 0;
        foreach (var f in Directory.EnumerateFiles(TempDirectory))
        {
            File.Delete(f);
            n++;
        }
        return n;
    }
}
