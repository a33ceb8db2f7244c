namespace Vigil.Ops.Integrity;

/// <summary>File notifications for the data directory, without the database's own writes. The
/// database and its WAL sit in the root and are written on every commit; one recursive watch for
/// writes woke the integrity watch about 10,000 times a second under IMAP load, and each wake-up
/// preempted a thread serving mail. inotify cannot leave one file of a watched folder out, so the
/// root is watched for names only (created, deleted, renamed), each folder below it in full, and
/// the root files whose content matters (the config and its seal) are hashed on every
/// <see cref="PollChanged"/>.</summary>
internal sealed class DataDirectoryWatch : IDisposable
{
    public const NotifyFilters Names = NotifyFilters.FileName | NotifyFilters.DirectoryName;

    // No Attributes: Vigil's own chmod of a new blob is not a change of its content.
    public const NotifyFilters Content = Names | NotifyFilters.LastWrite | NotifyFilters.Size;

    private readonly string _root;
    private readonly Func<string, bool, NotifyFilters, FileSystemWatcher> _watch;
    private readonly FileSystemWatcher _names;
    private readonly Dictionary<string, FileSystemWatcher> _folders = new(StringComparer.Ordinal);
    private readonly string[] _polled;
    private readonly string[] _stamps;

    /// <param name="root">The data directory.</param>
    /// <param name="polled">Files in the root whose writes in place must be noticed.</param>
    /// <param name="watch">Makes a started watcher: folder, recursive, filter.</param>
    public DataDirectoryWatch(string root, IReadOnlyList<string> polled, Func<string, bool, NotifyFilters, FileSystemWatcher> watch)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _watch = watch;
        _polled = [.. polled];
        _stamps = [.. _polled.Select(Stamp)];
        _names = watch(_root, false, Names);
        Resync();
    }

    /// <summary>Folders watched in full, for tests and the log.</summary>
    public IReadOnlyCollection<string> Folders => _folders.Keys;

    /// <summary>Keeps the folder watches in step with a notification about an entry of the root.
    /// What is on disk decides, not the kind of event: notifications of one batch arrive
    /// de-duplicated, so "created, deleted, created" may read as "created, deleted".</summary>
    public void Follow(string fullPath, string? oldFullPath)
    {
        if (oldFullPath is not null && Path.GetDirectoryName(oldFullPath) == _root) Unwatch(oldFullPath);
        if (Path.GetDirectoryName(fullPath) != _root) return;
        Unwatch(fullPath); // a folder deleted and created again is a new inode: watch it afresh
        if (Directory.Exists(fullPath)) WatchFolder(fullPath);
    }

    /// <summary>Watches exactly the folders the root has now (after lost notifications, at each full scan).</summary>
    public void Resync()
    {
        var now = Directory.EnumerateDirectories(_root).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _folders.Keys.Where(f => !now.Contains(f)).ToList()) Unwatch(gone);
        foreach (var folder in now) WatchFolder(folder);
    }

    /// <summary>The polled files whose content changed since the last call. Content, not size and
    /// time, which an editor can put back (touch -r); the files are a few KB.</summary>
    public List<string> PollChanged()
    {
        var changed = new List<string>();
        for (var i = 0; i < _polled.Length; i++)
        {
            var stamp = Stamp(_polled[i]);
            if (stamp == _stamps[i]) continue;
            _stamps[i] = stamp;
            changed.Add(_polled[i]);
        }
        return changed;
    }

    private static string Stamp(string path)
    {
        try
        {
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex is FileNotFoundException ? "missing" : "unreadable";
        }
    }

    private void WatchFolder(string fullPath)
    {
        if (_folders.ContainsKey(fullPath)) return;
        try
        {
            _folders[fullPath] = _watch(fullPath, true, Content);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Gone again, or unreadable: the full scan still covers it, and Resync retries.
        }
    }

    private void Unwatch(string fullPath)
    {
        if (_folders.Remove(fullPath, out var watcher)) watcher.Dispose();
    }

    public void Dispose()
    {
        _names.Dispose();
        foreach (var watcher in _folders.Values) watcher.Dispose();
        _folders.Clear();
    }
}
