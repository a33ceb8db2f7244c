using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>SELECT and STATUS read per-mailbox counters kept by triggers and a cached UID list
/// (0006_mailbox_counters.sql, MailboxUidCache): after every kind of change, alone and from
/// concurrent writers, they must equal a recount of the message rows.</summary>
public sealed class MailboxCounterTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-counters-").FullName;
    private SqliteDatabase _db = null!;
    private IDirectoryStore _directory = null!;
    private SqliteMessageStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _directory = new SqliteDirectoryStore(_db);
        _store = new SqliteMessageStore(_db);
        // Cache every mailbox, however small, so these tests exercise the cached path.
        _store.UidCache.MinMessages = 0;
        await _directory.AddDomainAsync("example.test", Ct);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<Account> AccountAsync(string name) =>
        _directory.AddAccountAsync(new NewAccount(name, "example.test", "x", 0, false, DefaultMailbox.Standard), Ct);

    private static NewMessage Message(Account account, string mailbox, int n, MessageFlags flags = MessageFlags.None) =>
        new(account.Id, mailbox, BlobId.Compute([(byte)n, (byte)(n >> 8), 7]), 100 + n, DateTimeOffset.UtcNow, flags, [], $"m{n}", null);

    /// <summary>What the counters must say, counted from the rows themselves.</summary>
    private (int Messages, int Unseen, int Deleted, long Size, int Recent, uint FirstUnseen, uint[] Uids) Recount(long accountId, long mailboxId)
    {
        using var c = new SqliteConnection($"Data Source={_db.Path};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText =
            "SELECT count(*), count(*) FILTER (WHERE (flags & 1) = 0), count(*) FILTER (WHERE (flags & 8) != 0), coalesce(sum(size), 0), " +
            "count(*) FILTER (WHERE uid >= (SELECT recent_uid FROM mailboxes WHERE id = $m)), coalesce(min(uid) FILTER (WHERE (flags & 1) = 0), 0) " +
            "FROM messages NOT INDEXED WHERE account_id = $a AND mailbox_id = $m";
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$m", mailboxId);
        using var r = cmd.ExecuteReader();
        r.Read();
        var counts = (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt64(3), r.GetInt32(4), (uint)r.GetInt64(5));
        r.Close();
        cmd.CommandText = "SELECT uid FROM messages NOT INDEXED WHERE account_id = $a AND mailbox_id = $m";
        var uids = new List<uint>();
        using (var u = cmd.ExecuteReader())
        {
            while (u.Read()) uids.Add((uint)u.GetInt64(0));
        }
        uids.Sort();
        return (counts.Item1, counts.Item2, counts.Item3, counts.Item4, counts.Item5, counts.Item6, uids.ToArray());
    }

    private async Task AssertExactAsync(long accountId, long mailboxId)
    {
        var expected = Recount(accountId, mailboxId);
        var counts = await _store.GetMailboxCountsAsync(accountId, mailboxId, Ct);
        Assert.Equal((expected.Messages, expected.Unseen, expected.Deleted, expected.Size, expected.Recent, expected.FirstUnseen),
            (counts.Messages, counts.Unseen, counts.Deleted, counts.Size, counts.Recent, counts.FirstUnseen));
        Assert.Equal(expected.Uids, (await _store.GetSnapshotAsync(accountId, mailboxId, Ct))!.Uids);
    }

    private async Task AssertAllExactAsync(Account account)
    {
        foreach (var m in await _store.ListMailboxesAsync(account.Id, Ct)) await AssertExactAsync(account.Id, m.Id);
    }

    [Fact]
    public async Task Counters_and_uid_list_match_a_recount_after_every_kind_of_change()
    {
        var bob = await AccountAsync("bob");
        var inbox = (await _store.GetMailboxAsync(bob.Id, Mailbox.Inbox, Ct))!;
        var trash = (await _store.GetMailboxAsync(bob.Id, "Trash", Ct))!;
        await AssertAllExactAsync(bob);

        // Delivery and APPEND (one batch, mixed flags).
        await _store.AppendAsync(Enumerable.Range(1, 8).Select(n => Message(bob, Mailbox.Inbox, n, n % 3 == 0 ? MessageFlags.Seen : MessageFlags.None)).ToList(), Ct);
        await _store.AppendAsync([Message(bob, Mailbox.Inbox, 9, MessageFlags.Deleted | MessageFlags.Seen)], Ct);
        await AssertAllExactAsync(bob);

        // STORE: add, remove, replace; a no-op; flags other than \Seen and \Deleted.
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [1, 2], new FlagUpdate(FlagMode.Add, MessageFlags.Seen, []), null, Ct);
        await AssertAllExactAsync(bob);
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [2, 3, 9], new FlagUpdate(FlagMode.Remove, MessageFlags.Seen, []), null, Ct);
        await AssertAllExactAsync(bob);
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [4, 5], new FlagUpdate(FlagMode.Replace, MessageFlags.Deleted | MessageFlags.Flagged, ["x"]), null, Ct);
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [6], new FlagUpdate(FlagMode.Add, MessageFlags.Answered, []), null, Ct);
        await AssertAllExactAsync(bob);

        // \Recent claimed, then EXPUNGE (all \Deleted, and by UID).
        await _store.ClaimRecentAsync(bob.Id, inbox.Id, Ct);
        await _store.AppendAsync([Message(bob, Mailbox.Inbox, 10)], Ct);
        await AssertAllExactAsync(bob);
        await _store.ExpungeDeletedAsync(bob.Id, inbox.Id, null, Ct);
        await AssertAllExactAsync(bob);
        await _store.ExpungeAsync(bob.Id, inbox.Id, [1], Ct);
        await AssertAllExactAsync(bob);

        // COPY and MOVE.
        await _store.CopyAsync(bob.Id, inbox.Id, [2, 3, 6], trash.Id, move: false, Ct);
        await AssertAllExactAsync(bob);
        await _store.CopyAsync(bob.Id, inbox.Id, [3, 7, 8], trash.Id, move: true, Ct);
        await AssertAllExactAsync(bob);

        // RENAME INBOX moves every row to a new mailbox; DELETE drops a mailbox's rows.
        await _store.MoveInboxAsync(bob.Id, "Old", Ct);
        await AssertAllExactAsync(bob);
        var old = (await _store.GetMailboxAsync(bob.Id, "Old", Ct))!;
        Assert.True(await _store.DeleteMailboxAsync(bob.Id, old.Id, Ct));
        await AssertAllExactAsync(bob);
        Assert.NotEqual(0, (await _store.GetMailboxCountsAsync(bob.Id, trash.Id, Ct)).Messages);
    }

    [Fact]
    public async Task Concurrent_writers_leave_counters_exact()
    {
        var accounts = new[] { await AccountAsync("a1"), await AccountAsync("a2") };
        var work = accounts.SelectMany(account => Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker * 31 + (int)account.Id);
            var inbox = (await _store.GetMailboxAsync(account.Id, Mailbox.Inbox, Ct))!;
            var trash = (await _store.GetMailboxAsync(account.Id, "Trash", Ct))!;
            for (var i = 0; i < 40; i++)
            {
                var uids = (await _store.GetSnapshotAsync(account.Id, inbox.Id, Ct))!.Uids;
                var some = uids.Where(_ => rng.Next(4) == 0).Take(5).ToList();
                switch (rng.Next(6))
                {
                    case 0 or 1:
                        await _store.AppendAsync([Message(account, Mailbox.Inbox, rng.Next(1000), (MessageFlags)rng.Next(16))], Ct);
                        break;
                    case 2:
                        await _store.UpdateFlagsAsync(account.Id, inbox.Id, some, new FlagUpdate((FlagMode)rng.Next(3), (MessageFlags)rng.Next(16), []), null, Ct);
                        break;
                    case 3:
                        await _store.ExpungeDeletedAsync(account.Id, inbox.Id, null, Ct);
                        break;
                    case 4:
                        await _store.CopyAsync(account.Id, inbox.Id, some, trash.Id, move: rng.Next(2) == 0, Ct);
                        break;
                    default:
                        await _store.GetMailboxCountsAsync(account.Id, inbox.Id, Ct);
                        break;
                }
            }
        })));
        await Task.WhenAll(work);
        foreach (var account in accounts) await AssertAllExactAsync(account);
    }

    [Fact]
    public async Task Cached_uid_list_follows_arrivals_and_removals()
    {
        var bob = await AccountAsync("bob");
        var inbox = (await _store.GetMailboxAsync(bob.Id, Mailbox.Inbox, Ct))!;
        await _store.AppendAsync(Enumerable.Range(1, 5).Select(n => Message(bob, Mailbox.Inbox, n)).ToList(), Ct);
        Assert.Equal([1u, 2u, 3u, 4u, 5u], (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);
        await _store.AppendAsync([Message(bob, Mailbox.Inbox, 6)], Ct); // extends the cached list
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);
        await _store.ExpungeAsync(bob.Id, inbox.Id, [2], Ct);
        await _store.AppendAsync([Message(bob, Mailbox.Inbox, 7)], Ct); // a removal hidden behind an arrival
        Assert.Equal([1u, 3u, 4u, 5u, 6u, 7u], (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);

        // Another process (here: another store over the same file) writes; this one's cache must see it.
        var other = new SqliteMessageStore(_db);
        await other.ExpungeAsync(bob.Id, inbox.Id, [7], Ct);
        Assert.Equal([1u, 3u, 4u, 5u, 6u], (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);

        // The cache never answers for another account's mailbox id.
        var eve = await AccountAsync("eve");
        Assert.Null(await _store.GetSnapshotAsync(eve.Id, inbox.Id, Ct));
    }

    [Fact]
    public async Task Account_deletion_and_mailbox_deletion_leave_no_cached_view()
    {
        var bob = await AccountAsync("bob");
        await _store.AppendAsync(Enumerable.Range(1, 3).Select(n => Message(bob, Mailbox.Inbox, n)).ToList(), Ct);
        var inbox = (await _store.GetMailboxAsync(bob.Id, Mailbox.Inbox, Ct))!;
        Assert.Equal(3, (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids.Count);
        Assert.True(await _directory.RemoveAccountAsync(bob.Id, Ct));
        Assert.Null(await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct));
        var bob2 = await AccountAsync("bob");
        var inbox2 = (await _store.GetMailboxAsync(bob2.Id, Mailbox.Inbox, Ct))!;
        Assert.NotEqual(inbox.Id, inbox2.Id);
        Assert.Empty((await _store.GetSnapshotAsync(bob2.Id, inbox2.Id, Ct))!.Uids);
        await AssertAllExactAsync(bob2);
    }
}
