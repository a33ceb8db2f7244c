using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>The store contract on the embedded SQLite backend, plus what is specific to it.</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("vigil-store-").FullName;
    private SqliteDatabase _db = null!;

    protected override Task<(IDirectoryStore, IMessageStore)> CreateAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        return Task.FromResult<(IDirectoryStore, IMessageStore)>((new SqliteDirectoryStore(_db), new SqliteMessageStore(_db)));
    }

    protected override async Task DestroyAsync()
    {
        await _db.DisposeAsync();
        System.IO.Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Concurrent_appends_share_commits()
    {
        var bob = await AddAccountAsync("bob");
        var before = Interlocked.Read(ref _db.Writer.Commits);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => Messages.AppendAsync([Msg(bob.Id, $"m{i}")], Ct))));
        var commits = Interlocked.Read(ref _db.Writer.Commits) - before;
        var inbox = await Messages.GetMailboxAsync(bob.Id, Mailbox.Inbox, Ct);
        var uids = (await Messages.ListMessagesAsync(bob.Id, inbox!.Id, Ct)).Select(m => m.Uid).ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (uint)i), uids);
        Assert.True(commits < 200, $"{commits} commits for 200 appends: group commit did not batch");
    }

    [Fact]
    public async Task Flag_changes_commit_without_fsync_and_new_mail_with_it()
    {
        var bob = await AddAccountAsync("bob");
        await Messages.AppendAsync([Msg(bob.Id, "m1")], Ct);
        var inbox = (await Messages.GetMailboxAsync(bob.Id, Mailbox.Inbox, Ct))!;
        var unsynced = Interlocked.Read(ref _db.Writer.UnsyncedCommits);
        await Messages.UpdateFlagsAsync(bob.Id, inbox.Id, [1], new FlagUpdate(FlagMode.Add, MessageFlags.Seen, []), null, Ct);
        Assert.Equal(unsynced + 1, Interlocked.Read(ref _db.Writer.UnsyncedCommits));
        Assert.Equal(MessageFlags.Seen, (await Messages.GetMessagesAsync(bob.Id, inbox.Id, [1], false, Ct))[0].Flags); // visible at once
        await Messages.AppendAsync([Msg(bob.Id, "m2")], Ct);
        Assert.Equal(unsynced + 1, Interlocked.Read(ref _db.Writer.UnsyncedCommits)); // new mail is fsync'd again
    }

    [Fact]
    public async Task Database_is_in_wal_mode_and_migrations_are_recorded_once()
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
        var version = _db.SchemaVersion();
        await _db.DisposeAsync();
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db")); // reopening applies nothing twice
        Assert.Equal(version, _db.SchemaVersion());
    }
}
