namespace Vigil.Ops.Integrity;

/// <summary>File notifications for the data directory, without the database's own writes. The
/// database and its WAL sit in the root and are written on every commit; one recursive watch for
/// writes woke the integrity watch about 10,000 times a second under IMAP load, and each wake-up
/// preempted a thread serving mail. inotify cannot leave one file of a watched folder out, so the
/// root is watched for names only (created, deleted, renamed), each folder below it in full, and
/// the root files whose content matters (the config and its seal) are compared by size and time
/// on every <see cref="PollChanged"/>.</summary>
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
    private readonly (long Length, DateTime Written)[] _stamps;

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
        foreach (var folder in Directory.EnumerateDirectories(_root)) WatchFolder(folder);
    }

    /// <summary>Folders watched in full, for tests and the log.</summary>
    public IReadOnlyCollection<string> Folders => _folders.Keys;

    /// <summary>Keeps the folder watches in step with a notification: a folder created or renamed
    /// into the root is watched from now on, one deleted or renamed away no longer.</summary>
    public void Follow(string fullPath, WatcherChangeTypes change, string? oldFullPath)
    {
        if (oldFullPath is not null) Unwatch(oldFullPath);
        if (change == WatcherChangeTypes.Deleted) Unwatch(fullPath);
        else if (Path.GetDirectoryName(fullPath) == _root && Directory.Exists(fullPath)) WatchFolder(fullPath);
    }

    /// <summary>The polled files whose size or write time changed since the last call.</summary>
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

    private static (long, DateTime) Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.Length, file.LastWriteTimeUtc) : (-1, default);
    }

    private void WatchFolder(string fullPath)
    {
        if (!_folders.ContainsKey(fullPath)) _folders[fullPath] = _watch(fullPath, true, Content);
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
