using System.Text;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>Two sessions on one mailbox (RFC 9051 §7.4.1, RFC 3501 §7.4.1): an expunge made by the
/// other session is not announced during FETCH, STORE or SEARCH, so the sequence numbers a client
/// uses in those commands keep meaning what it thinks; the next NOOP announces it.</summary>
public sealed class ConcurrentSessionTests
{
    [Fact]
    public async Task Sequence_numbers_do_not_shift_during_fetch_store_and_search()
    {
        await using var server = await ImapTestServer.StartAsync();
        var alice = await server.AddUserAsync("alice");
        for (var i = 1; i <= 3; i++) await server.DeliverAsync(alice, Encoding.ASCII.GetBytes($"Subject: m{i}\r\n\r\nbody {i}\r\n"));
        await using var a = await LoginAsync(server);
        await using var b = await LoginAsync(server);
        await a.CommandAsync("a1", "SELECT INBOX");
        await b.CommandAsync("b1", "SELECT INBOX");
        await b.CommandAsync("b2", "STORE 2 +FLAGS.SILENT (\\Deleted)");
        Assert.Equal(["* 2 EXPUNGE", "b3 OK EXPUNGE completed"], await b.CommandAsync("b3", "EXPUNGE"));

        // Message 3 is still number 3 for A until a command that allows EXPUNGE.
        var store = await a.CommandAsync("a2", "STORE 3 +FLAGS (\\Flagged)");
        Assert.Contains("* 3 FETCH (FLAGS (\\Flagged \\Recent))", store);
        Assert.DoesNotContain(store, l => l.EndsWith(" EXPUNGE", StringComparison.Ordinal));
        Assert.Equal(["* SEARCH 3", "a3 OK SEARCH completed"], await a.CommandAsync("a3", "SEARCH FLAGGED"));
        var fetch = await a.CommandAsync("a4", "FETCH 1:3 (UID)");
        Assert.Equal(["* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)", "a4 OK FETCH completed"], fetch.Where(l => !l.Contains("FLAGS", StringComparison.Ordinal)));
        Assert.Equal(["* 2 EXPUNGE", "a5 OK NOOP completed"], (await a.CommandAsync("a5", "NOOP")).Where(l => !l.Contains("FLAGS", StringComparison.Ordinal)));
        Assert.Equal(["* SEARCH 2", "a6 OK SEARCH completed"], await a.CommandAsync("a6", "SEARCH FLAGGED"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_deleted_between_fetch_reading_the_row_and_the_body_is_skipped_only_when_its_message_is_gone(bool expunged)
    {
        // The race of the body sweeper: FETCH has read the message rows, then another session
        // expunges message 2 and its body is deleted (grace period over) before FETCH reads it.
        var blobs = new VanishingBlobs();
        await using var server = await ImapTestServer.StartAsync(blobStore: inner => blobs.Over(inner));
        var alice = await server.AddUserAsync("alice");
        for (var i = 1; i <= 3; i++) await server.DeliverAsync(alice, Encoding.ASCII.GetBytes($"Subject: m{i}\r\n\r\nbody {i}\r\n"));
        await using var a = await LoginAsync(server);
        await a.CommandAsync("a1", "SELECT INBOX");
        var inbox = (await server.Services.Store.GetMailboxAsync(alice.Id, "INBOX", CancellationToken.None))!;
        var second = (await server.Services.Store.GetMessagesAsync(alice.Id, inbox.Id, [2u], false, CancellationToken.None)).Single().BlobId;
        blobs.Vanish = id =>
        {
            if (id != second) return false;
            if (expunged) server.Services.Store.ExpungeAsync(alice.Id, inbox.Id, [2u], CancellationToken.None).GetAwaiter().GetResult();
            return true;
        };

        var fetch = await a.CommandAsync("a2", "FETCH 1:3 (UID BODY.PEEK[])");
        if (expunged)
        {
            // Not shown, as a message whose row is gone (RFC 9051 §7.1, RFC 2180 §4.1.1); nothing
            // half-written, and the next NOOP announces the expunge.
            Assert.Equal(["* 1 FETCH (UID 1 BODY[] {23}", "* 3 FETCH (UID 3 BODY[] {23}", "a2 OK FETCH completed"], fetch.Where(l => l.StartsWith('*') || l.StartsWith("a2", StringComparison.Ordinal)));
            Assert.Contains("* 2 EXPUNGE", await a.CommandAsync("a3", "NOOP"));
        }
        else
        {
            // A body gone while its message is still stored is damage: an error, not silence.
            Assert.Equal(["* 1 FETCH (UID 1 BODY[] {23}", "a2 NO [SERVERBUG] Internal server error"], fetch.Where(l => l.StartsWith('*') || l.StartsWith("a2", StringComparison.Ordinal)));
        }
    }

    /// <summary>The real blob store, except that a body <see cref="Vanish"/> picks is gone when read.</summary>
    private sealed class VanishingBlobs : Vigil.Core.Storage.IBlobStore
    {
        private Vigil.Core.Storage.IBlobStore _inner = null!;

        public Func<Vigil.Core.Model.BlobId, bool> Vanish { get; set; } = _ => false;

        public VanishingBlobs Over(Vigil.Core.Storage.IBlobStore inner)
        {
            _inner = inner;
            return this;
        }

        public Vigil.Core.Storage.IBlobWriter CreateWriter() => _inner.CreateWriter();

        public Stream? OpenRead(Vigil.Core.Model.BlobId id) => Vanish(id) ? null : _inner.OpenRead(id);

        public bool Exists(Vigil.Core.Model.BlobId id) => _inner.Exists(id);

        public long GetSize(Vigil.Core.Model.BlobId id) => _inner.GetSize(id);
    }

    private static async Task<RawImapClient> LoginAsync(ImapTestServer server)
    {
        var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.CommandAsync("l", "LOGIN alice@example.test secret");
        return c;
    }
}
