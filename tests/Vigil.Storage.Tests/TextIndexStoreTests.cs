using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Indexing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Tests;

/// <summary>The full-text queue: a stored message's text is queued in the same commit, indexed
/// later (once per content, whoever gets there first), never leaks across accounts, survives a
/// restart, and leaves nothing behind when its message is expunged first.</summary>
public sealed class TextIndexStoreTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-textindex-").FullName;
    private SqliteDatabase _db = null!;
    private IDirectoryStore _directory = null!;
    private IMessageStore _messages = null!;
    private ITextIndexStore _queue = null!;
    private FileBlobStore _blobs = null!;
    private TextIndexer _indexer = null!;

    public async Task InitializeAsync()
    {
        await OpenAsync();
        await _directory.AddDomainAsync("example.test", Ct);
    }

    private Task OpenAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _directory = new SqliteDirectoryStore(_db);
        _messages = new SqliteMessageStore(_db);
        _queue = new SqliteTextIndex(_db);
        _blobs = new FileBlobStore(Path.Combine(_dir, "blobs"));
        _indexer = new TextIndexer(_queue, _blobs, NullLogger<TextIndexer>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<Account> AccountAsync(string name) =>
        _directory.AddAccountAsync(new NewAccount(name, "example.test", "x", 0, false, DefaultMailbox.Standard), Ct);

    /// <summary>Stores the message as delivery does: blob, then summary and row in one commit.</summary>
    private async Task<(Mailbox Mailbox, BlobId Blob)> DeliverAsync(Account account, string body, string mailbox = Mailbox.Inbox, bool writeBlob = true)
    {
        var raw = Encoding.UTF8.GetBytes($"Subject: test\r\n\r\n{body}\r\n");
        var blob = BlobId.Compute(raw);
        if (writeBlob)
        {
            await using var writer = _blobs.CreateWriter();
            await writer.WriteAsync(raw, Ct);
            blob = await writer.CommitAsync(Ct);
        }
        var summary = MessageIndexer.Summarize(new MemoryStream(raw));
        await _messages.AppendAsync([new NewMessage(account.Id, mailbox, blob, raw.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], "test", null, summary)], Ct);
        return ((await _messages.GetMailboxAsync(account.Id, mailbox, Ct))!, blob);
    }

    private long Count(string table)
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task Stored_text_is_queued_not_indexed_and_a_search_indexes_its_mailbox_first()
    {
        var alice = await AccountAsync("alice");
        var signal = _queue.QueuedSignal;
        var (inbox, _) = await DeliverAsync(alice, "the zanzibar report");

        Assert.Equal(1, await _queue.CountPendingAsync(Ct));
        Assert.NotEqual(signal, _queue.QueuedSignal);
        Assert.Empty(await _messages.SearchTextAsync(alice.Id, inbox.Id, "zanzibar", true, Ct)); // not in the index yet

        var search = new TextSearch(_messages, _indexer);
        Assert.Equal([1u], await search.SearchAsync(alice.Id, inbox.Id, "ZANZIBAR", true, Ct));
        Assert.Equal(0, await _queue.CountPendingAsync(Ct));
        Assert.Equal([1u], await _messages.SearchTextAsync(alice.Id, inbox.Id, "zanzibar", true, Ct));
    }

    [Fact]
    public async Task The_queue_of_a_mailbox_shows_only_that_accounts_mailbox()
    {
        var alice = await AccountAsync("alice");
        var bob = await AccountAsync("bob");
        var (aliceInbox, aliceBlob) = await DeliverAsync(alice, "alice's words");
        var (archive, archiveBlob) = await DeliverAsync(alice, "archived words", "Archive");
        var (bobInbox, _) = await DeliverAsync(bob, "bob's words");

        Assert.Equal([aliceBlob], (await _queue.ListPendingAsync(alice.Id, aliceInbox.Id, Ct)).Select(p => p.Blob));
        Assert.Equal([archiveBlob], (await _queue.ListPendingAsync(alice.Id, archive.Id, Ct)).Select(p => p.Blob));
        Assert.Empty(await _queue.ListPendingAsync(bob.Id, aliceInbox.Id, Ct));
        Assert.Empty(await _queue.ListPendingAsync(alice.Id, bobInbox.Id, Ct));
        Assert.Equal(3, (await _queue.ListPendingAsync(10, Ct)).Count);

        // A search of bob's inbox indexes bob's mail only.
        Assert.Empty(await new TextSearch(_messages, _indexer).SearchAsync(bob.Id, bobInbox.Id, "alice", true, Ct));
        Assert.Equal(2, await _queue.CountPendingAsync(Ct));
    }

    [Fact]
    public async Task Content_delivered_twice_is_queued_and_indexed_once()
    {
        var alice = await AccountAsync("alice");
        var bob = await AccountAsync("bob");
        var (aliceInbox, _) = await DeliverAsync(alice, "same words");
        var (bobInbox, _) = await DeliverAsync(bob, "same words");
        Assert.Equal(1, await _queue.CountPendingAsync(Ct));

        var pending = await _queue.ListPendingAsync(10, Ct);
        var text = new IndexedText(pending[0].Id, "subject: test\n", "same words\n");
        Assert.Equal(1, await _queue.SaveAsync([text], Ct));
        Assert.Equal(0, await _queue.SaveAsync([text], Ct)); // a second indexer on the same entry: skipped
        Assert.Equal([1u], await _messages.SearchTextAsync(alice.Id, aliceInbox.Id, "same", true, Ct));
        Assert.Equal([1u], await _messages.SearchTextAsync(bob.Id, bobInbox.Id, "same", true, Ct));
    }

    [Fact]
    public async Task Expunging_a_queued_message_leaves_nothing_and_a_late_index_write_is_skipped()
    {
        var alice = await AccountAsync("alice");
        var (inbox, _) = await DeliverAsync(alice, "short-lived words");
        var taken = await _queue.ListPendingAsync(10, Ct); // an indexer has listed it...

        await _messages.ExpungeAsync(alice.Id, inbox.Id, [1], Ct); // ...then the message goes

        Assert.Equal(0, await _queue.SaveAsync([new IndexedText(taken[0].Id, "h", "short-lived words")], Ct));
        Assert.Equal(0, Count("fts_pending"));
        Assert.Equal(0, Count("message_summaries"));
        Assert.Equal(0, Count("message_text"));
        Assert.Equal(0, await _indexer.IndexOldestAsync(10, Ct));

        // An indexed message that is expunged takes its text row with it.
        await DeliverAsync(alice, "indexed then gone");
        await _indexer.IndexOldestAsync(10, Ct);
        Assert.Equal(1, Count("message_text"));
        await _messages.ExpungeAsync(alice.Id, inbox.Id, [2], Ct);
        Assert.Equal(0, Count("message_text"));
        Assert.Equal(0, Count("message_summaries"));
    }

    [Fact]
    public async Task A_missing_blob_is_indexed_as_empty_and_leaves_the_queue()
    {
        var alice = await AccountAsync("alice");
        await DeliverAsync(alice, "never written", writeBlob: false);
        await DeliverAsync(alice, "written");
        Assert.Equal(2, await _indexer.IndexOldestAsync(10, Ct));
        Assert.Equal(0, await _queue.CountPendingAsync(Ct));
    }

    [Fact]
    public async Task Queued_entries_survive_a_restart()
    {
        var alice = await AccountAsync("alice");
        var (inbox, _) = await DeliverAsync(alice, "durable words");
        await _db.DisposeAsync();
        await OpenAsync();
        Assert.Equal(1, await _queue.CountPendingAsync(Ct));
        Assert.Equal([1u], await new TextSearch(_messages, _indexer).SearchAsync(alice.Id, inbox.Id, "durable", true, Ct));
    }

    [Fact]
    public async Task The_background_indexer_catches_up_at_start_waits_while_mail_arrives_then_follows_it()
    {
        var alice = await AccountAsync("alice");
        await DeliverAsync(alice, "left over from the last run");
        await DeliverAsync(alice, "also left over");
        var log = new EventLog<BackgroundTextIndexer>();
        var options = new TextIndexingOptions { QuietPeriod = TimeSpan.FromSeconds(3), Tick = TimeSpan.FromMilliseconds(20), MaxDeferral = TimeSpan.FromSeconds(60) };
        using var stop = new CancellationTokenSource();
        var run = new BackgroundTextIndexer(_indexer, _queue, options, log).RunAsync(stop.Token);
        try
        {
            await UntilAsync(async () => await _queue.CountPendingAsync(Ct) == 0);
            // The event follows the last write: the queue can be seen empty just before it.
            await UntilAsync(() => Task.FromResult(log.Events.Contains("index.catchup-done")));
            Assert.Contains("index.catchup", log.Events);

            // New mail: the indexer waits for a quiet moment (3 s here) before it indexes.
            await DeliverAsync(alice, "arrived while running");
            await Task.Delay(300);
            Assert.Equal(1, await _queue.CountPendingAsync(Ct));
            await UntilAsync(async () => await _queue.CountPendingAsync(Ct) == 0);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await run; // ends quietly, or with the cancellation, depending on where it was
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Fact]
    public async Task The_backlog_gauge_counts_queued_messages()
    {
        var alice = await AccountAsync("alice");
        await DeliverAsync(alice, "one");
        await DeliverAsync(alice, "two");
        using var metrics = new TextIndexMetrics(_queue);
        var seen = new ConcurrentBag<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter == metrics.Meter && i.Name == "vigil_fts_pending") l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => seen.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal([2L], seen);
    }

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "condition not met in 20 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Records the event names logged.</summary>
    private sealed class EventLog<T> : ILogger<T>
    {
        public ConcurrentQueue<string> Events { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue(eventId.Name ?? "");
    }
}
