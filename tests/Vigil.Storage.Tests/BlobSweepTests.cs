using System.Diagnostics;
using System.Text;
using Vigil.Core.Delivery;
using Vigil.Core.Indexing;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;
using Microsoft.Extensions.Time.Testing;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Tests;

/// <summary>Deleting the bodies of deleted mail (docs/storage.md, "Deleted mail") with the real
/// store: releases written by the removal's own transaction, bodies (row, file, summary, full-text
/// row) deleted after the grace period and only when nothing names them, and the races of
/// <see cref="BlobClaims"/> and <see cref="BlobSweepLock"/>.</summary>
public sealed class BlobSweepTests : IAsyncLifetime
{
    private const int InlineLimit = 1024;
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static CancellationToken Ct => CancellationToken.None;

    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-sweep-").FullName;
    private SqliteDatabase _db = null!;
    private InlineBlobStore _blobs = null!;
    private SqliteMessageStore _messages = null!;
    private SqliteDirectoryStore _directory = null!;
    private readonly RecentBlobDeletions _swept = new();
    // The sweeper's clock and that of the commit stamps; the releases carry SQLite's clock.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private BlobSweeper _sweeper = null!;
    private Account _bob = null!;

    public async Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _blobs = new InlineBlobStore(new FileBlobStore(Path.Combine(_dir, "blobs"), _time), _db, InlineLimit);
        _messages = new SqliteMessageStore(_db);
        _directory = new SqliteDirectoryStore(_db);
        _sweeper = new BlobSweeper(_db, _blobs, _swept, BlobSweepLock.For(_db), _time);
        await _directory.AddDomainAsync("example.test", Ct);
        _bob = await AddAccountAsync("bob");
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<Account> AddAccountAsync(string local) =>
        _directory.AddAccountAsync(new NewAccount(local, "example.test", "hash", 0, false, DefaultMailbox.Standard), Ct);

    private static byte[] Small(string tag) => Encoding.ASCII.GetBytes($"Subject: {tag}\r\n\r\nsmall body {tag}\r\n");

    private static byte[] Large(string tag) =>
        Encoding.ASCII.GetBytes($"Subject: {tag}\r\n\r\n" + string.Concat(Enumerable.Repeat($"large body {tag} line\r\n", 200)));

    private async Task<BlobId> StoreAsync(byte[] content)
    {
        await using var w = _blobs.CreateWriter();
        await w.WriteAsync(content, Ct);
        return await w.CommitAsync(Ct);
    }

    /// <summary>Stores the body and a message naming it (with its summary, as deliveries do); returns the UID.</summary>
    private async Task<(BlobId Blob, uint Uid)> AppendAsync(byte[] content, long accountId, string mailbox = Mailbox.Inbox)
    {
        var blob = await StoreAsync(content);
        return (blob, await NameAsync(blob, content, accountId, mailbox));
    }

    /// <summary>Commits a message naming the stored body <paramref name="blob"/>; returns its UID.</summary>
    private async Task<uint> NameAsync(BlobId blob, byte[] content, long accountId, string mailbox = Mailbox.Inbox)
    {
        var summary = MessageIndexer.Summarize(new MemoryStream(content));
        var appended = await _messages.AppendAsync([new NewMessage(accountId, mailbox, blob, content.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], "s", null, summary)], Ct);
        return appended[0].Uid;
    }

    /// <summary>A body stored, named by a message of bob's, expunged, and its release aged past the grace period.</summary>
    private async Task<BlobId> ReleasedAsync(byte[] content)
    {
        var (blob, uid) = await AppendAsync(content, _bob.Id);
        await ExpungeAsync(_bob.Id, uid);
        await AgeReleasesAsync();
        return blob;
    }

    private async Task<long> InboxAsync(long accountId) => (await _messages.GetMailboxAsync(accountId, Mailbox.Inbox, Ct))!.Id;

    private async Task ExpungeAsync(long accountId, params uint[] uids) => await _messages.ExpungeAsync(accountId, await InboxAsync(accountId), uids, Ct);

    private long Scalar(string sql, string? blob = null)
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        if (blob is not null) cmd.Parameters.AddWithValue("$b", blob);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private long InlineRows(BlobId b) => Scalar("SELECT count(*) FROM blob_inline WHERE id = $b", b.Hex);
    private long Summaries(BlobId b) => Scalar("SELECT count(*) FROM message_summaries WHERE blob_id = $b", b.Hex);
    private long Released(BlobId b) => Scalar("SELECT count(*) FROM blob_release WHERE id = $b", b.Hex);
    private long TextRows() => Scalar("SELECT count(*) FROM message_text");
    private bool FileExists(BlobId b) => File.Exists(_blobs.Files.PathOf(b));

    /// <summary>Moves every release back past the grace period, as if it had happened long ago, and
    /// with <paramref name="clock"/> the sweeper's clock forward, so that bodies stored so far were
    /// claimed long ago too.</summary>
    private Task AgeReleasesAsync(bool clock = true)
    {
        if (clock) _time.Advance(TimeSpan.FromHours(1));
        return AgeReleaseRowsAsync();
    }

    private Task AgeReleaseRowsAsync() => _db.Writer.ExecuteAsync((c, tx) =>
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE blob_release SET released = released - 3600000";
        return cmd.ExecuteNonQuery();
    }, Ct);

    /// <summary>Empties the full-text queue the way the background indexer does.</summary>
    private async Task IndexTextAsync()
    {
        var index = new SqliteTextIndex(_db);
        var pending = await index.ListPendingAsync(100, Ct);
        await index.SaveAsync(pending.Select(p => new IndexedText(p.Id, "subject", "body text")).ToList(), Ct);
    }

    private Task<BlobSweepRound> SweepAsync() => _sweeper.SweepAsync(Grace, 500, Ct);

    private byte[] Read(BlobId id)
    {
        using var s = _blobs.OpenRead(id) ?? throw new FileNotFoundException(id.Hex);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    [Fact]
    public async Task An_expunged_body_goes_after_the_grace_period_with_its_row_file_summary_and_text()
    {
        var (small, smallUid) = await AppendAsync(Small("a"), _bob.Id);
        var (large, largeUid) = await AppendAsync(Large("a"), _bob.Id);
        await IndexTextAsync();
        Assert.Equal(1, InlineRows(small));
        Assert.True(FileExists(large));
        Assert.Equal(2, TextRows());

        await ExpungeAsync(_bob.Id, smallUid, largeUid);
        // Released by the expunge's own transaction; summary and text go with the last message
        // naming the content, the body itself only after the grace period.
        Assert.Equal(1, Released(small));
        Assert.Equal(1, Released(large));
        Assert.Equal(0, TextRows());
        var early = await SweepAsync();
        Assert.Equal(0, early.Examined);
        Assert.Equal(1, InlineRows(small));
        Assert.True(FileExists(large));
        Assert.Equal(Small("a"), Read(small)); // a session that read the row just before can still read the body

        await AgeReleasesAsync();
        var round = await SweepAsync();
        Assert.Equal(2, round.Deleted);
        Assert.Equal(1, round.Files);
        Assert.Equal(1, round.Rows);
        Assert.Equal(Small("a").Length + Large("a").Length, round.Bytes);
        Assert.Equal(0, InlineRows(small));
        Assert.False(FileExists(large));
        Assert.Null(_blobs.OpenRead(small));
        Assert.Null(_blobs.OpenRead(large));
        Assert.False(_blobs.Exists(small)); // not even from the cache of recent reads
        Assert.Equal(0, Summaries(small) + Summaries(large));
        Assert.Equal(0, Scalar("SELECT count(*) FROM blob_release"));
        Assert.True(_swept.Contains(large.Hex) && _swept.Contains(small.Hex)); // told to the integrity watch

        var status = BlobReleaseStatus.Read(_db);
        Assert.Equal(0, status.Pending);
        Assert.Equal(2, status.Deleted);
        Assert.Equal(round.Bytes, status.DeletedBytes);
        Assert.NotNull(status.LastSweep);
    }

    [Fact]
    public async Task A_body_shared_by_two_messages_stays_until_both_are_gone()
    {
        var alice = await AddAccountAsync("alice");
        var content = Large("shared");
        var (blob, bobUid) = await AppendAsync(content, _bob.Id);
        var (_, aliceUid) = await AppendAsync(content, alice.Id);

        await ExpungeAsync(_bob.Id, bobUid);
        await AgeReleasesAsync();
        var first = await SweepAsync();
        Assert.Equal(0, first.Deleted);
        Assert.Equal(1, first.Referenced);
        Assert.Equal(0, Released(blob)); // alice's message names it: no longer a candidate
        Assert.Equal(content, Read(blob));
        Assert.Equal(1, Summaries(blob));

        await ExpungeAsync(alice.Id, aliceUid);
        await AgeReleasesAsync();
        Assert.Equal(1, (await SweepAsync()).Deleted);
        Assert.False(FileExists(blob));
        Assert.Equal(0, Summaries(blob));
    }

    [Fact]
    public async Task A_body_named_by_the_outbound_queue_stays_until_the_queue_lets_go()
    {
        var content = Small("queued");
        var (blob, uid) = await AppendAsync(content, _bob.Id); // the sender's copy in Sent, say
        var queue = new SqliteQueueStore(_db);
        var envelope = new Envelope("bob@example.test", [new EnvelopeRecipient("carol@remote.test", DsnNotify.Default, null)], null, DsnReturn.Default, BodyType.SevenBit, false, null, "127.0.0.1", "test");
        await queue.AddAsync(new QueuedMessage("q1", blob, content.Length, envelope, DateTimeOffset.UtcNow), [new NewQueueRecipient("carol@remote.test", "remote.test", DsnNotify.Default, null)], Ct);

        await ExpungeAsync(_bob.Id, uid);
        await AgeReleasesAsync();
        Assert.Equal(1, (await SweepAsync()).Referenced);
        Assert.Equal(content, Read(blob));

        Assert.True(await queue.RemoveAsync("q1", Ct)); // delivered or removed by the admin
        Assert.Equal(1, Released(blob));
        await AgeReleasesAsync();
        Assert.Equal(1, (await SweepAsync()).Deleted);
        Assert.Equal(0, InlineRows(blob));
    }

    [Fact]
    public async Task Deleting_a_mailbox_or_an_account_releases_its_bodies()
    {
        var alice = await AddAccountAsync("alice");
        var (inArchive, _) = await AppendAsync(Small("archived"), alice.Id, "Archive");
        var (inInbox, _) = await AppendAsync(Large("inbox"), alice.Id);
        await _messages.DeleteMailboxAsync(alice.Id, (await _messages.GetMailboxAsync(alice.Id, "Archive", Ct))!.Id, Ct);
        Assert.Equal(1, Released(inArchive));

        Assert.True(await _directory.RemoveAccountAsync(alice.Id, Ct)); // messages go by ON DELETE CASCADE
        Assert.Equal(1, Released(inInbox));
        await AgeReleasesAsync();
        Assert.Equal(2, (await SweepAsync()).Deleted);
        Assert.False(FileExists(inInbox));
        Assert.Equal(0, InlineRows(inArchive));
        Assert.Equal(0, Summaries(inInbox));
    }

    [Fact]
    public async Task A_body_moved_to_another_mailbox_is_not_released_for_good()
    {
        var (blob, uid) = await AppendAsync(Large("moved"), _bob.Id);
        var trash = (await _messages.GetMailboxAsync(_bob.Id, "Trash", Ct))!;
        await _messages.CopyAsync(_bob.Id, await InboxAsync(_bob.Id), [uid], trash.Id, move: true, Ct);
        await AgeReleasesAsync();
        var round = await SweepAsync();
        Assert.Equal(0, round.Deleted);
        Assert.True(FileExists(blob));
    }

    // ---- race a: the same content stored again while its body is released ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_stored_again_before_the_sweep_is_kept_for_the_message_that_will_name_it(bool large)
    {
        var content = large ? Large("again") : Small("again");
        var blob = await ReleasedAsync(content);

        // A new delivery of the same content finds the body present (the file exists; the row is
        // kept by INSERT OR IGNORE) and names it in a row that commits only later.
        Assert.Equal(blob, await StoreAsync(content));
        var round = await SweepAsync();
        Assert.Equal(0, round.Deleted);
        Assert.Equal(1, round.Postponed);
        Assert.Equal(1, Released(blob)); // still a candidate, re-checked after another grace period

        await NameAsync(blob, content, _bob.Id);
        Assert.Equal(content, Read(blob));
        await AgeReleasesAsync();
        Assert.Equal(1, (await SweepAsync()).Referenced);
        Assert.Equal(content, Read(blob));
        Assert.Equal(0, Released(blob));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_stored_again_after_the_sweep_deleted_it_is_written_again(bool large)
    {
        var content = large ? Large("later") : Small("later");
        var blob = await ReleasedAsync(content);
        Assert.Equal(1, (await SweepAsync()).Deleted);
        Assert.Null(_blobs.OpenRead(blob));

        Assert.Equal(blob, await StoreAsync(content));
        await NameAsync(blob, content, _bob.Id);
        Assert.Equal(content, Read(blob));
        Assert.Equal(large, FileExists(blob));
        Assert.Equal(large ? 0 : 1, InlineRows(blob));
        Assert.Equal(1, Summaries(blob));
    }

    [Fact]
    public async Task Many_deliveries_of_released_content_racing_the_sweeper_never_leave_a_message_without_its_body()
    {
        // Concurrent: deliveries of the content of long-released bodies (small and large) while
        // the sweeper runs round after round, the releases made due again before each; only the
        // claims keep a body between its deduplicated store and the commit of the row naming it.
        var contents = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? Small("race" + i) : Large("race" + i)).ToList();
        foreach (var c in contents)
        {
            var (_, uid) = await AppendAsync(c, _bob.Id);
            await ExpungeAsync(_bob.Id, uid);
        }
        await AgeReleasesAsync();
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var sweeping = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await AgeReleaseRowsAsync();
                await SweepAsync();
                rounds++;
            }
        });
        var clock = Stopwatch.StartNew();
        var delivered = await Task.WhenAll(contents.Select(async c => (Content: c, (await AppendAsync(c, _bob.Id)).Blob)));
        await stop.CancelAsync();
        await sweeping;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.True(rounds > 0);
        await AgeReleasesAsync();
        await SweepAsync();
        foreach (var (content, blob) in delivered) Assert.Equal(content, Read(blob));
    }

    // ---- the start-up scan: bodies deleted before this store collected garbage ----

    [Fact]
    public async Task Bodies_orphaned_before_the_sweeper_existed_are_released_at_start_and_deleted_after_the_grace_period()
    {
        var (kept, _) = await AppendAsync(Large("kept"), _bob.Id);
        var orphanFile = await StoreAsync(Large("orphan"));
        var orphanRow = await StoreAsync(Small("orphan"));
        await AddAccountAsync("flush"); // any write: the pending small body goes to its row
        Assert.Equal(1, InlineRows(orphanRow));

        Assert.Equal(2, await _sweeper.ReleaseOrphansAsync(Ct));
        Assert.Equal(0, await _sweeper.ReleaseOrphansAsync(Ct)); // idempotent
        Assert.Equal(0, Released(kept));
        await AgeReleasesAsync(clock: false);
        // Stored by this process's writers just now: kept for the grace period even so.
        Assert.Equal(2, (await SweepAsync()).Postponed);
        await AgeReleasesAsync();
        Assert.Equal(2, (await SweepAsync()).Deleted);
        Assert.False(FileExists(orphanFile));
        Assert.Equal(0, InlineRows(orphanRow));
        Assert.True(FileExists(kept));
    }

    // ---- crash safety ----

    [Fact]
    public async Task A_round_interrupted_after_the_unlink_is_finished_by_the_next_one()
    {
        var blob = await ReleasedAsync(Large("crash"));
        File.Delete(_blobs.Files.PathOf(blob)); // the file went, the commit that drops the release did not
        var round = await SweepAsync();
        Assert.Equal(1, round.Deleted);
        Assert.Equal(0, round.Bytes);
        Assert.Equal(0, Released(blob));
        Assert.Equal(0, Summaries(blob));
    }

    [Fact]
    public async Task A_removal_that_rolls_back_releases_nothing()
    {
        var (blob, uid) = await AppendAsync(Small("rollback"), _bob.Id);
        var inbox = await InboxAsync(_bob.Id);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _db.Writer.ExecuteAsync<int>((c, tx) =>
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"DELETE FROM messages WHERE mailbox_id = {inbox} AND uid = {uid}";
            cmd.ExecuteNonQuery();
            throw new InvalidOperationException("the operation fails after its delete"); // its savepoint is rolled back
        }, Ct));
        Assert.Equal(0, Released(blob));
        Assert.Single(await _messages.ListMessagesAsync(_bob.Id, inbox, Ct));
    }

    // ---- race c: backups and restores hold the sweeper off ----

    [Fact]
    public async Task No_body_is_deleted_while_a_backup_or_restore_holds_the_guard()
    {
        var blob = await ReleasedAsync(Large("held"));
        var guard = BlobSweepLock.For(_db);
        using (await guard.HoldAsync(Ct))
        using (await guard.HoldAsync(Ct)) // holders share
        {
            Assert.True((await SweepAsync()).Held);
            Assert.True(FileExists(blob));
        }
        Assert.Equal(1, (await SweepAsync()).Deleted);
    }

    [Fact]
    public async Task A_guard_held_by_another_process_holds_the_sweeper_off()
    {
        var blob = await ReleasedAsync(Large("other process"));
        var path = BlobSweepLock.For(_db).Path;
        // util-linux flock(1) holds a shared flock(2) lock, as a CLI backup does (--close: only
        // flock itself holds it, not the shell it starts, so killing flock lets go of it).
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--shared", "--close", path, "-c", "echo held; sleep 30"]) { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync());
            Assert.True((await SweepAsync()).Held);
            Assert.True(FileExists(blob));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
        Assert.Equal(1, (await SweepAsync()).Deleted); // the kernel dropped the dead holder's lock
    }
}
