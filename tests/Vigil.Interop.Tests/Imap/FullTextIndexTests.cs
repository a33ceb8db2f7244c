using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Security.Passwords;
using Vigil.Storage.Sqlite;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Full-text indexing happens after delivery, yet a search never depends on when: with the
/// background indexer off, MailKit's APPEND and an SMTP delivery are found by an immediate SEARCH
/// BODY/TEXT; queued text survives a restart and is indexed at start; an expunge of a message still
/// queued leaves nothing behind, and so does a SIGKILL of <c>vigil serve</c> before any indexing;
/// <c>vigil status</c> shows the backlog (docs/imap.md).</summary>
public sealed class FullTextIndexTests
{
    private static async Task<long> BacklogAsync(TestServer server) => await server.Get<ITextIndexStore>().CountPendingAsync(CancellationToken.None);

    [Fact]
    public async Task Append_and_delivery_are_found_by_an_immediate_search_with_the_background_indexer_off()
    {
        await using var server = await TestServer.StartAsync(c => c.Indexing.Background = false);
        await server.AddUserAsync("sam");
        using var client = await ConnectAsync(server, "sam");
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);

        await inbox.AppendAsync(Message("Plans", "Meet at the observatory on Tuesday."));
        await DeliverAsync(server, "sam", Message("Delivered", "The parcel contains a harmonium."));
        Assert.Equal(2, await BacklogAsync(server)); // stored, summaries ready, text not yet indexed

        var status = await VigilCli.RunAsync(server.Data.Root, "status");
        Assert.Contains("index      2 message(s) waiting for the full-text index", status.Stdout);

        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.BodyContains("OBSERVATORY"))).Select(u => u.Id));
        Assert.Equal(0, await BacklogAsync(server));
        await inbox.CheckAsync();
        Assert.Equal([2u], (await inbox.SearchAsync(SearchQuery.MessageContains("harmonium"))).Select(u => u.Id));
        Assert.Equal([2u], (await inbox.SearchAsync(SearchQuery.MessageContains("delivered"))).Select(u => u.Id)); // header text too
        // FETCH needs no index: the summary was stored before the OK.
        Assert.Equal("Plans", (await inbox.FetchAsync([new UniqueId(1)], MessageSummaryItems.Envelope))[0].Envelope.Subject);

        status = await VigilCli.RunAsync(server.Data.Root, "status");
        Assert.Contains("index      full-text index up to date", status.Stdout);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Queued_text_survives_a_restart_is_indexed_at_start_and_an_expunged_entry_leaves_nothing()
    {
        await using var server = await TestServer.StartAsync(c => c.Indexing.Background = false);
        await server.AddUserAsync("kim");
        await DeliverAsync(server, "kim", Message("Keep", "A note about the lighthouse."), Message("Drop", "A note about the windmill."));
        using (var client = await ConnectAsync(server, "kim"))
        {
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            await inbox.AddFlagsAsync([new UniqueId(2)], MessageFlags.Deleted, silent: true);
            await inbox.ExpungeAsync(); // still queued for the index when it goes
            await client.DisconnectAsync(true);
        }
        Assert.Equal(1, await BacklogAsync(server));

        // The server stops before any indexing ran; the next one catches up at start, no search needed.
        server.Config.Indexing.Background = true;
        await server.RestartAsync();
        var clock = Stopwatch.StartNew();
        while (await BacklogAsync(server) > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the queued message was not indexed at start");
            await Task.Delay(100);
        }
        var kim = (await server.Get<IDirectoryStore>().ListAccountsAsync(TestServer.Domain, CancellationToken.None)).Single(a => a.LocalPart == "kim");
        var store = server.Get<IMessageStore>();
        var box = (await store.GetMailboxAsync(kim.Id, "INBOX", CancellationToken.None))!;
        Assert.Equal([1u], await store.SearchTextAsync(kim.Id, box.Id, "lighthouse", bodyOnly: true, CancellationToken.None)); // in the index itself

        using var again = await ConnectAsync(server, "kim");
        await again.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal([1u], (await again.Inbox.SearchAsync(SearchQuery.BodyContains("lighthouse"))).Select(u => u.Id));
        Assert.Empty(await again.Inbox.SearchAsync(SearchQuery.BodyContains("windmill")));
        await again.DisconnectAsync(true);
    }

    [Fact]
    public async Task Queued_text_survives_a_sigkill_of_vigil_serve_and_the_next_start_catches_up()
    {
        var (data, config) = TestServer.InitializeData(c => c.Indexing.Background = false);
        try
        {
            await using (var db = SqliteDatabase.Open(data.Database))
            {
                var directory = new SqliteDirectoryStore(db);
                await directory.AddDomainAsync(TestServer.Domain, CancellationToken.None);
                await new AccountService(directory, new Argon2idPasswordHasher(new Argon2Cost(64, 1, 1)))
                    .CreateAsync(new EmailAddress("lee", TestServer.Domain), TestServer.Password, 0, false, CancellationToken.None);
            }
            await using (var server = await VigilProcess.StartAsync(data))
            {
                using var smtp = new SmtpClient();
                await smtp.ConnectAsync("127.0.0.1", server.Port("smtp"), SecureSocketOptions.None);
                await smtp.SendAsync(Message("Log", "Readings from the anemometer."), MailboxAddress.Parse("sender@remote.test"), [MailboxAddress.Parse(Address("lee"))]);
                await smtp.DisconnectAsync(true);
                await server.KillAsync(); // after the 250, before any indexing
            }

            config.Indexing.Background = true;
            config.Save(data);
            await using (var server = await VigilProcess.StartAsync(data))
            {
                var clock = Stopwatch.StartNew();
                while (!server.Output.Any(l => l.Contains("Full-text index caught up: 1 message(s)", StringComparison.Ordinal)))
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "no catch-up at start:\n" + string.Join('\n', server.Output));
                    await Task.Delay(100);
                }
                Assert.Contains(server.Output, l => l.Contains("left queued by the previous run", StringComparison.Ordinal));
                var status = await VigilCli.RunAsync(data.Root, "status");
                Assert.Contains("index      full-text index up to date", status.Stdout);

                using var imap = new ImapClient { Timeout = 30_000 };
                await imap.ConnectAsync("127.0.0.1", server.Port("imap"), SecureSocketOptions.None);
                await imap.AuthenticateAsync(Address("lee"), TestServer.Password);
                await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
                Assert.Equal([1u], (await imap.Inbox.SearchAsync(SearchQuery.BodyContains("anemometer"))).Select(u => u.Id));
                await imap.DisconnectAsync(true);
            }
        }
        finally
        {
            try { Directory.Delete(data.Root, recursive: true); } catch (IOException) { }
        }
    }
}
