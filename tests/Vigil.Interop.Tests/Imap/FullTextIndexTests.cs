using System.Diagnostics;
using MailKit;
using MailKit.Search;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Full-text indexing happens after delivery, yet a search never depends on when: with the
/// background indexer off, MailKit's APPEND and an SMTP delivery are found by an immediate SEARCH
/// BODY/TEXT; queued text survives a restart and is indexed at start; an expunge of a message still
/// queued leaves nothing behind; <c>vigil status</c> shows the backlog (docs/imap.md).</summary>
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
}
