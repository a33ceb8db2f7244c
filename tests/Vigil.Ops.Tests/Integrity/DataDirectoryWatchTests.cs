using System.Collections.Concurrent;
using Vigil.Ops.Integrity;

namespace Vigil.Ops.Tests.Integrity;

/// <summary>Real inotify watches on a temporary data directory.</summary>
public sealed class DataDirectoryWatchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-watch-").FullName;
    private readonly ConcurrentQueue<(string Path, WatcherChangeTypes Change)> _events = new();

    public DataDirectoryWatchTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "blobs", "ab"));
        File.WriteAllText(Path.Combine(_root, "vigil.db-wal"), "");
        File.WriteAllText(Path.Combine(_root, "vigil.json"), "{}");
    }

    private DataDirectoryWatch Start() => new(_root, [Path.Combine(_root, "vigil.json")], (folder, recursive, filter) =>
    {
        var w = new FileSystemWatcher(folder) { IncludeSubdirectories = recursive, NotifyFilter = filter };
        w.Created += (_, e) => _events.Enqueue((e.FullPath, e.ChangeType));
        w.Changed += (_, e) => _events.Enqueue((e.FullPath, e.ChangeType));
        w.EnableRaisingEvents = true;
        return w;
    });

    private async Task<bool> SeenAsync(string path, WatcherChangeTypes change)
    {
        for (var i = 0; i < 100; i++)
        {
            if (_events.Contains((path, change))) return true;
            await Task.Delay(50);
        }
        return false;
    }

    [Fact]
    public async Task Database_writes_in_the_root_wake_nothing_but_writes_below_it_do()
    {
        using var watch = Start();
        var wal = Path.Combine(_root, "vigil.db-wal");
        for (var i = 0; i < 50; i++) await File.AppendAllTextAsync(wal, "frame");
        var blob = Path.Combine(_root, "blobs", "ab", "abcd");
        await File.WriteAllTextAsync(blob, "x");
        await File.AppendAllTextAsync(blob, "y");
        Assert.True(await SeenAsync(blob, WatcherChangeTypes.Changed));
        await Task.Delay(200);
        Assert.DoesNotContain(_events, e => e.Path == wal);

        var dropped = Path.Combine(_root, "a8f3kq.exe"); // a new name in the root is still seen
        await File.WriteAllTextAsync(dropped, "MZ");
        Assert.True(await SeenAsync(dropped, WatcherChangeTypes.Created));
    }

    [Fact]
    public async Task A_folder_created_later_is_watched_in_full_once_followed()
    {
        using var watch = Start();
        var fleet = Path.Combine(_root, "fleet");
        Directory.CreateDirectory(fleet);
        Assert.True(await SeenAsync(fleet, WatcherChangeTypes.Created));
        watch.Follow(fleet, null);
        Assert.Contains(fleet, watch.Folders);
        var file = Path.Combine(fleet, "members.json");
        await File.WriteAllTextAsync(file, "[]");
        await File.AppendAllTextAsync(file, " ");
        Assert.True(await SeenAsync(file, WatcherChangeTypes.Changed));

        Directory.Delete(fleet, recursive: true);
        watch.Follow(fleet, null);
        Assert.DoesNotContain(fleet, watch.Folders);

        Directory.CreateDirectory(fleet); // a notification lost: the next full scan's Resync finds it
        watch.Resync();
        Assert.Contains(fleet, watch.Folders);
    }

    [Fact]
    public async Task A_config_written_in_place_is_found_by_the_poll_once()
    {
        using var watch = Start();
        Assert.Empty(watch.PollChanged());
        var config = Path.Combine(_root, "vigil.json");
        await File.AppendAllTextAsync(config, "\n");
        Assert.Equal([config], watch.PollChanged());
        Assert.Empty(watch.PollChanged());
        var written = File.GetLastWriteTimeUtc(config);
        await File.WriteAllTextAsync(config, "{x}"); // same size, time put back: still a change
        File.SetLastWriteTimeUtc(config, written);
        Assert.Equal([config], watch.PollChanged());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
