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

    private static async Task<RawImapClient> LoginAsync(ImapTestServer server)
    {
        var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.CommandAsync("l", "LOGIN alice@example.test secret");
        return c;
    }
}
