using System.Text;
using Vigil.Core.Indexing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>The store operations IMAP needs: mailbox management, flags with MODSEQ, copy/move,
/// the change log behind CONDSTORE/QRESYNC, \Recent, and the full-text index, all account-scoped.</summary>
public sealed class ImapStoreContractTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-imapstore-").FullName;
    private SqliteDatabase _db = null!;
    private IDirectoryStore _directory = null!;
    private IMessageStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _directory = new SqliteDirectoryStore(_db);
        _store = new SqliteMessageStore(_db);
        await _directory.AddDomainAsync("example.test", Ct);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<Account> AccountAsync(string name, long quota = 0) =>
        _directory.AddAccountAsync(new NewAccount(name, "example.test", "x", quota, false, DefaultMailbox.Standard), Ct);

    private readonly Dictionary<BlobId, byte[]> _raw = [];

    private static MessageSummary Summarize(byte[] raw) => MessageIndexer.Summarize(new MemoryStream(raw));

    /// <summary>Appends the messages, then indexes their text as the background indexer would, so
    /// these tests see the full-text index filled (TextIndexStoreTests cover the queue itself).</summary>
    private async Task<Mailbox> AddAsync(Account account, string mailbox, params string[] bodies)
    {
        var batch = bodies.Select(b =>
        {
            var raw = Encoding.UTF8.GetBytes($"Subject: {b}\r\n\r\n{b} body text\r\n");
            var blob = BlobId.Compute(raw);
            _raw[blob] = raw;
            return new NewMessage(account.Id, mailbox, blob, raw.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], b, null, Summarize(raw));
        }).ToList();
        await _store.AppendAsync(batch, Ct);
        var index = new SqliteTextIndex(_db);
        var texts = (await index.ListPendingAsync(1000, Ct)).Select(p =>
        {
            var text = MessageIndexer.ExtractText(new MemoryStream(_raw[p.Blob]));
            return new IndexedText(p.Id, text.Headers, text.Body);
        }).ToList();
        await index.SaveAsync(texts, Ct);
        return (await _store.GetMailboxAsync(account.Id, mailbox, Ct))!;
    }

    [Fact]
    public async Task Mailboxes_are_created_renamed_with_children_and_deleted()
    {
        var bob = await AccountAsync("bob");
        var a = await _store.CreateMailboxAsync(bob.Id, "a", null, Ct);
        await _store.CreateMailboxAsync(bob.Id, "a/b", null, Ct);
        await Assert.ThrowsAsync<MailboxExistsException>(() => _store.CreateMailboxAsync(bob.Id, "a", null, Ct));
        await _store.SetSubscribedAsync(bob.Id, "a/b", true, Ct);
        await _store.RenameMailboxAsync(bob.Id, "a", "x/y", Ct);
        var names = (await _store.ListMailboxesAsync(bob.Id, Ct)).Select(m => m.Name).ToList();
        Assert.Contains("x/y", names);
        Assert.Contains("x/y/b", names);
        Assert.DoesNotContain("a", names);
        Assert.Equal(a.UidValidity, (await _store.GetMailboxByIdAsync(bob.Id, a.Id, Ct))!.UidValidity);
        Assert.Contains("x/y/b", await _store.ListSubscriptionsAsync(bob.Id, Ct));
        Assert.True((await _store.GetMailboxAsync(bob.Id, "x/y/b", Ct))!.Subscribed);
        await Assert.ThrowsAsync<MailboxExistsException>(() => _store.RenameMailboxAsync(bob.Id, "x/y", "Sent", Ct));

        Assert.True(await _store.DeleteMailboxAsync(bob.Id, a.Id, Ct));
        Assert.Null(await _store.GetMailboxByIdAsync(bob.Id, a.Id, Ct));
        var again = await _store.CreateMailboxAsync(bob.Id, "x/y", null, Ct);
        Assert.NotEqual(a.UidValidity, again.UidValidity); // RFC 9051 §2.3.1.1
    }

    [Fact]
    public async Task Subscriptions_are_names_that_may_not_exist()
    {
        var bob = await AccountAsync("bob");
        await _store.SetSubscribedAsync(bob.Id, "Ghost", true, Ct);
        await _store.SetSubscribedAsync(bob.Id, "Trash", false, Ct);
        var subs = await _store.ListSubscriptionsAsync(bob.Id, Ct);
        Assert.Contains("Ghost", subs);
        Assert.DoesNotContain("Trash", subs);
        Assert.Contains("INBOX", subs);
    }

    [Fact]
    public async Task Flags_change_under_one_new_modseq_and_unchangedsince_is_honoured()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two", "three");
        var r = await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [1, 2], new FlagUpdate(FlagMode.Add, MessageFlags.Seen, ["$Label1"]), null, Ct);
        Assert.Equal([1u, 2u], r.Changed.Select(c => c.Uid));
        Assert.All(r.Changed, c => Assert.Equal(inbox.HighestModSeq + 1, c.ModSeq));
        Assert.Equal(["$Label1"], r.Changed[0].Keywords);

        var again = await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [1, 3], new FlagUpdate(FlagMode.Add, MessageFlags.Seen, ["$label1"]), null, Ct);
        Assert.Equal([1u], again.Unchanged.Select(c => c.Uid));
        Assert.Equal([3u], again.Changed.Select(c => c.Uid));

        var conditional = await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [1, 2, 3], new FlagUpdate(FlagMode.Replace, MessageFlags.Flagged, []), inbox.HighestModSeq + 1, Ct);
        Assert.Equal([3u], conditional.Modified);
        Assert.Equal([1u, 2u], conditional.Changed.Select(c => c.Uid));
        var messages = await _store.GetMessagesAsync(bob.Id, inbox.Id, [1, 2, 3], false, Ct);
        Assert.Equal([MessageFlags.Flagged, MessageFlags.Flagged, MessageFlags.Seen], messages.Select(m => m.Flags));
        Assert.Empty(messages[0].Keywords);
    }

    [Fact]
    public async Task Changes_since_a_modseq_include_new_changed_and_vanished()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two", "three");
        var mark = inbox.HighestModSeq;
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [2], new FlagUpdate(FlagMode.Add, MessageFlags.Deleted, []), null, Ct);
        await AddAsync(bob, Mailbox.Inbox, "four");
        var expunged = await _store.ExpungeDeletedAsync(bob.Id, inbox.Id, null, Ct);
        Assert.Equal([2u], expunged.Uids);
        var delta = (await _store.GetChangesAsync(bob.Id, inbox.Id, mark, Ct))!;
        Assert.Equal([4u], delta.Changed.Select(c => c.Uid));
        Assert.Equal([2u], delta.Vanished);
        Assert.Equal(expunged.ModSeq, delta.Mailbox.HighestModSeq);
        var none = (await _store.GetChangesAsync(bob.Id, inbox.Id, delta.Mailbox.HighestModSeq, Ct))!;
        Assert.Empty(none.Changed);
        Assert.Empty(none.Vanished);
    }

    [Fact]
    public async Task Messages_are_read_by_runs_and_by_scattered_uids()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two", "three", "four", "five");
        await _store.ExpungeAsync(bob.Id, inbox.Id, [3], Ct);
        Assert.Equal([1u, 2u], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [1, 2], true, Ct)).Select(m => m.Uid));
        Assert.Equal([2u, 4u], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [2, 3, 4], true, Ct)).Select(m => m.Uid)); // a run with a hole
        Assert.Equal([1u, 5u], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [1, 5, 9], false, Ct)).Select(m => m.Uid)); // 2 and 4 in the range, not asked for
        Assert.Equal([1u, 4u], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [4, 1], true, Ct)).Select(m => m.Uid));
        Assert.Equal([1u, 4u], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [1, 1, 4], true, Ct)).Select(m => m.Uid)); // a repeat is no run: 2 stays out
        Assert.Equal([1u], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [1, 100_000], true, Ct)).Select(m => m.Uid)); // far apart: looked up one by one
        Assert.Equal(["two", "four"], (await _store.GetMessagesAsync(bob.Id, inbox.Id, [2, 4], true, Ct)).Select(m => m.Summary!.Envelope.Subject));
        var eve = await AccountAsync("eve");
        Assert.Empty(await _store.GetMessagesAsync(eve.Id, inbox.Id, [1, 2], true, Ct));
    }

    [Fact]
    public async Task Expunge_deleted_within_a_uid_set()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two", "three");
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [1, 2, 3], new FlagUpdate(FlagMode.Add, MessageFlags.Deleted, []), null, Ct);
        Assert.Equal([2u], (await _store.ExpungeDeletedAsync(bob.Id, inbox.Id, [2], Ct)).Uids);
        Assert.Equal([1u, 3u], (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);
    }

    [Fact]
    public async Task Copy_and_move_map_uids_keep_flags_and_count_quota()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two");
        var trash = (await _store.GetMailboxAsync(bob.Id, "Trash", Ct))!;
        await _store.UpdateFlagsAsync(bob.Id, inbox.Id, [2], new FlagUpdate(FlagMode.Add, MessageFlags.Flagged, ["work"]), null, Ct);
        var used = (await _directory.GetAccountByIdAsync(bob.Id, Ct))!.UsedBytes;

        var copy = await _store.CopyAsync(bob.Id, inbox.Id, [1, 2, 9], trash.Id, move: false, Ct);
        Assert.Equal([(1u, 1u), (2u, 2u)], copy.Uids);
        Assert.Equal(trash.UidValidity, copy.TargetUidValidity);
        Assert.Equal(2 * used, (await _directory.GetAccountByIdAsync(bob.Id, Ct))!.UsedBytes);
        var copied = await _store.GetMessagesAsync(bob.Id, trash.Id, [2], true, Ct);
        Assert.Equal((MessageFlags.Flagged, "work"), (copied[0].Flags, copied[0].Keywords.Single()));
        Assert.NotNull(copied[0].Summary);

        var move = await _store.CopyAsync(bob.Id, inbox.Id, [1], trash.Id, move: true, Ct);
        Assert.Equal([(1u, 3u)], move.Uids);
        Assert.Equal([1u], move.Moved!.Uids);
        Assert.Equal([2u], (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);
        Assert.Equal(2 * used, (await _directory.GetAccountByIdAsync(bob.Id, Ct))!.UsedBytes);
    }

    [Fact]
    public async Task Copy_and_append_over_quota_fail_whole()
    {
        var bob = await AccountAsync("bob", quota: 100);
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two");
        var trash = (await _store.GetMailboxAsync(bob.Id, "Trash", Ct))!;
        await Assert.ThrowsAsync<QuotaExceededException>(() => _store.CopyAsync(bob.Id, inbox.Id, [1, 2], trash.Id, false, Ct));
        Assert.Empty((await _store.GetSnapshotAsync(bob.Id, trash.Id, Ct))!.Uids);
        var big = new NewMessage(bob.Id, Mailbox.Inbox, BlobId.Compute([1]), 80, DateTimeOffset.UtcNow, MessageFlags.None, [], null, null, EnforceQuota: true);
        await Assert.ThrowsAsync<QuotaExceededException>(() => _store.AppendAsync([big], Ct));
        Assert.Equal(2, (await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids.Count);
    }

    [Fact]
    public async Task Recent_is_claimed_once()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two");
        Assert.Equal(2, (await _store.GetMailboxCountsAsync(bob.Id, inbox.Id, Ct)).Recent);
        Assert.Equal(1u, await _store.ClaimRecentAsync(bob.Id, inbox.Id, Ct));
        Assert.Equal(3u, await _store.ClaimRecentAsync(bob.Id, inbox.Id, Ct));
        await AddAsync(bob, Mailbox.Inbox, "three");
        var counts = await _store.GetMailboxCountsAsync(bob.Id, inbox.Id, Ct);
        Assert.Equal((3, 3, 0, 1), (counts.Messages, counts.Unseen, counts.Deleted, counts.Recent));
        Assert.Equal(3u, await _store.ClaimRecentAsync(bob.Id, inbox.Id, Ct));
    }

    [Fact]
    public async Task Inbox_rename_moves_messages_and_leaves_inbox_empty()
    {
        var bob = await AccountAsync("bob");
        var inbox = await AddAsync(bob, Mailbox.Inbox, "one", "two");
        var result = await _store.MoveInboxAsync(bob.Id, "Old", Ct);
        Assert.Equal([1u, 2u], result.Uids);
        var old = (await _store.GetMailboxAsync(bob.Id, "Old", Ct))!;
        Assert.Equal([1u, 2u], (await _store.GetSnapshotAsync(bob.Id, old.Id, Ct))!.Uids);
        Assert.Empty((await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct))!.Uids);
        Assert.Equal([1u, 2u], (await _store.GetChangesAsync(bob.Id, inbox.Id, inbox.HighestModSeq, Ct))!.Vanished);
        var next = await AddAsync(bob, Mailbox.Inbox, "three");
        Assert.Equal([3u], (await _store.GetSnapshotAsync(bob.Id, next.Id, Ct))!.Uids); // UIDs never reused
    }

    [Fact]
    public async Task Full_text_search_is_substring_case_insensitive_and_account_scoped()
    {
        var alice = await AccountAsync("alice");
        var inbox = await AddAsync(alice, Mailbox.Inbox, "Quarterly", "Holiday");
        Assert.Equal([1u], await _store.SearchTextAsync(alice.Id, inbox.Id, "ARTERL", bodyOnly: true, Ct));
        Assert.Equal([2u], await _store.SearchTextAsync(alice.Id, inbox.Id, "subject: holi", bodyOnly: false, Ct));
        Assert.Empty(await _store.SearchTextAsync(alice.Id, inbox.Id, "subject: holi", bodyOnly: true, Ct));
        Assert.Empty(await _store.SearchTextAsync(alice.Id, inbox.Id, "say \"what\"", bodyOnly: false, Ct));

        // Same content for another account: found only through that account's own rows.
        var bob = await AccountAsync("bob");
        var bobInbox = await AddAsync(bob, Mailbox.Inbox, "Holiday");
        Assert.Equal([1u], await _store.SearchTextAsync(bob.Id, bobInbox.Id, "holiday", false, Ct));
        Assert.Empty(await _store.SearchTextAsync(bob.Id, inbox.Id, "holiday", false, Ct));
        Assert.Empty(await _store.GetMessagesAsync(bob.Id, inbox.Id, [1, 2], true, Ct));
        Assert.Null(await _store.GetChangesAsync(bob.Id, inbox.Id, 0, Ct));
        Assert.Null(await _store.GetSnapshotAsync(bob.Id, inbox.Id, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _store.UpdateFlagsAsync(bob.Id, inbox.Id, [1], new FlagUpdate(FlagMode.Add, MessageFlags.Seen, []), null, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _store.CopyAsync(bob.Id, inbox.Id, [1], bobInbox.Id, false, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _store.CopyAsync(bob.Id, bobInbox.Id, [1], inbox.Id, false, Ct));
        Assert.False(await _store.DeleteMailboxAsync(bob.Id, inbox.Id, Ct));

        // Deleted and re-created under the same name: a new principal with nothing of the old.
        Assert.True(await _directory.RemoveAccountAsync(bob.Id, Ct));
        var bob2 = await AccountAsync("bob");
        var bob2Inbox = (await _store.GetMailboxAsync(bob2.Id, Mailbox.Inbox, Ct))!;
        Assert.Empty((await _store.GetSnapshotAsync(bob2.Id, bob2Inbox.Id, Ct))!.Uids);
        Assert.Empty(await _store.SearchTextAsync(bob2.Id, bob2Inbox.Id, "holiday", false, Ct));
        Assert.Null(await _store.GetSnapshotAsync(bob2.Id, bobInbox.Id, Ct));
    }

    [Fact]
    public async Task Summaries_are_shared_per_blob_and_dropped_when_unreferenced()
    {
        var alice = await AccountAsync("alice");
        var inbox = await AddAsync(alice, Mailbox.Inbox, "Shared");
        var archive = await AddAsync(alice, "Archive", "Shared");
        Assert.Equal("Shared", (await _store.GetMessagesAsync(alice.Id, archive.Id, [1], true, Ct))[0].Summary!.Envelope.Subject);
        await _store.ExpungeAsync(alice.Id, inbox.Id, [1], Ct);
        Assert.Equal([1u], await _store.SearchTextAsync(alice.Id, archive.Id, "shared", false, Ct));
        await _store.ExpungeAsync(alice.Id, archive.Id, [1], Ct);
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM message_summaries";
        Assert.Equal(0L, (long)cmd.ExecuteScalar()!);
    }
}
