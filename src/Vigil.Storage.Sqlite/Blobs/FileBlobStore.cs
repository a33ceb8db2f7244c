using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Message bodies as read-only files named by their SHA-256 under
/// <c>blobs/ab/cd/abcd…</c>; partial writes live in <c>blobs/tmp</c> under names we generate.</summary>
public sealed class FileBlobStore : IBlobStore
{
    public string Root { get; }
    public string TempDirectory { get; }

    public FileBlobStore(string root)
    {
        Root = root;
        TempDirectory = System.IO.Path.Combine(root, "tmp");
        Directory.CreateDirectory(TempDirectory);
    }

    /// <summary>The only way a blob path is formed: from a validated <see cref="BlobId"/>.</summary>
    public string PathOf(BlobId id) => System.IO.Path.Combine(Root, id.Hex[..2], id.Hex[2..4], id.Hex);

    // Fan-out directories known to exist, so a commit does not ask the filesystem again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _directories = new(StringComparer.Ordinal);

    /// <summary>Returns the directory a blob lives in, creating it the first time. A directory
    /// created here is made durable too (its entry in the parent, and the parent's in the root),
    /// or a blob renamed into it could vanish with it after a power cut.</summary>
    internal string EnsureFanOutDirectory(BlobId id)
    {
        var dir = System.IO.Path.Combine(Root, id.Hex[..2], id.Hex[2..4]);
        if (_directories.ContainsKey(dir)) return dir;
        if (!Directory.Exists(dir))
        {
            var parent = System.IO.Path.GetDirectoryName(dir)!;
            var parentIsNew = !Directory.Exists(parent);
            Directory.CreateDirectory(dir);
            Vigil.Core.IO.FileSystemSync.Fsync(parent);
            if (parentIsNew) Vigil.Core.IO.FileSystemSync.Fsync(Root);
        }
        _directories.TryAdd(dir, true);
        return dir;
    }

    public IBlobWriter CreateWriter() => new FileBlobWriter(this, System.IO.Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".tmp"));

    public Stream? OpenRead(BlobId id)
    {
        try
        {
            return new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public bool Exists(BlobId id) => File.Exists(PathOf(id));

    public long GetSize(BlobId id) => new FileInfo(PathOf(id)).Length;

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
