using System.Runtime.CompilerServices;
using Vigil.Core.IO;

namespace Vigil.Ops.Backup.Targets;

/// <summary>A restore-point store in a local or mounted directory. New objects are written under
/// <c>.incoming/</c>, made read-only, then linked into place with no-overwrite semantics, so the
/// final directories only ever gain complete files; that also works when an admin marks them
/// append-only (<c>chattr +a</c>), since nothing is renamed or deleted inside them.</summary>
public sealed class LocalDirectoryTarget : IBackupTarget
{
    private const string Incoming = ".incoming";
    private const string LockFile = ".lock";
    private readonly string _root;

    public LocalDirectoryTarget(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(_root, Incoming));
    }

    public string Location => _root;

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (FileNotFoundException) { return Task.FromResult<Stream?>(null); }
        catch (DirectoryNotFoundException) { return Task.FromResult<Stream?>(null); }
    }

    public async Task WriteNewAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var final = Full(path);
        if (File.Exists(final)) throw new BackupObjectExistsException(path);
        var temp = Path.Combine(_root, Incoming, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await write(file, ct);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            try
            {
                // On Unix, a no-overwrite move is link(2) + unlink(2): it fails if the name exists.
                File.Move(temp, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                throw new BackupObjectExistsException(path);
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public async IAsyncEnumerable<TargetObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var slash = prefix.LastIndexOf('/');
        var directory = slash < 0 ? _root : Full(prefix[..slash]);
        if (!Directory.Exists(directory)) yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 };
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", options))
        {
            ct.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith('.') || !relative.StartsWith(prefix, StringComparison.Ordinal)) continue;
            yield return new TargetObject(relative, file.Length, file.LastWriteTimeUtc);
        }
    }

    public Task FlushAsync(CancellationToken ct)
    {
        FileSystemSync.SyncFileSystemOf(_root);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        var full = Full(path);
        if (File.Exists(full))
        {
            File.Delete(full);
            RemoveEmptyParents(Path.GetDirectoryName(full)!);
        }
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> LockAsync(CancellationToken ct)
    {
        try
        {
            // FileShare.None takes an exclusive flock(2) on Unix; it is released when the process ends.
            var lockFile = new FileStream(Path.Combine(_root, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return Task.FromResult<IAsyncDisposable>(lockFile);
        }
        catch (IOException)
        {
            throw new BackupTargetBusyException(_root);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Maps a target path to the file system after checking it is one of ours.</summary>
    private string Full(string path)
    {
        Format.TargetPaths.EnsureValid(path);
        return Path.Combine(_root, path.Replace('/', Path.DirectorySeparatorChar));
    }

    private void RemoveEmptyParents(string directory)
    {
        while (directory.Length > _root.Length && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            try { Directory.Delete(directory); }
            catch (IOException) { return; }
            directory = Path.GetDirectoryName(directory)!;
        }
    }
}
