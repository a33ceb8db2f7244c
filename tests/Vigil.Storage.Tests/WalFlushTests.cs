using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>The WAL is flushed off the writer thread: a durable write is reported done only after
/// a flush that began after its commit, and the writer does not wait for that flush.</summary>
public sealed class WalFlushTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-walflush-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_durable_write_completes_only_after_the_flush_and_the_writer_goes_on_meanwhile()
    {
        using var release = new ManualResetEventSlim(false);
        var flushed = new List<string>();
        var path = Path.Combine(_dir, "vigil.db");
        await using var db = SqliteDatabase.Open(path, wal =>
        {
            release.Wait(TimeSpan.FromSeconds(20));
            lock (flushed) flushed.Add(wal);
        });
        var directory = new SqliteDirectoryStore(db);

        var first = directory.AddDomainAsync("one.test", default);
        await UntilAsync(() => Interlocked.Read(ref db.Writer.Commits) >= 1);
        var second = directory.AddDomainAsync("two.test", default);
        // Both committed (the writer did not wait for the held flush), neither reported durable.
        await UntilAsync(() => Interlocked.Read(ref db.Writer.Commits) >= 2);
        await Task.Delay(200);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.NotNull(await directory.GetDomainAsync("two.test", default)); // readers see the commit

        release.Set();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));
        lock (flushed) Assert.All(flushed, wal => Assert.Equal(path + "-wal", wal));
        Assert.InRange(Interlocked.Read(ref db.Writer.Commits), 2, 10);
    }

    [Fact]
    public async Task A_failed_flush_fails_the_durable_writes_that_waited_for_it()
    {
        var fail = true;
        await using var db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"), _ =>
        {
            if (Volatile.Read(ref fail)) throw new IOException("EIO");
        });
        var directory = new SqliteDirectoryStore(db);
        await Assert.ThrowsAsync<IOException>(() => directory.AddDomainAsync("one.test", default));
        Volatile.Write(ref fail, false);
        await directory.AddDomainAsync("two.test", default);
    }

    [Fact]
    public async Task Data_written_through_the_real_flush_is_there_after_reopening()
    {
        var path = Path.Combine(_dir, "vigil.db");
        await using (var db = SqliteDatabase.Open(path))
        {
            await new SqliteDirectoryStore(db).AddDomainAsync("kept.test", default);
            Assert.True(File.Exists(path + "-wal"));
        }
        await using var again = SqliteDatabase.Open(path);
        Assert.NotNull(await new SqliteDirectoryStore(again).GetDomainAsync("kept.test", default));
    }

    private static async Task UntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException();
            await Task.Delay(10);
        }
    }
}
