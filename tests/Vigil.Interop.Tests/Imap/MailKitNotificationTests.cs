using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Several sessions on one mailbox (RFC 9051 §5.2, §7.4.1): IDLE woken at once by SMTP
/// delivery and by another session's flag changes and expunges; NOOP polling; CONDSTORE and
/// QRESYNC resynchronisation — all seen through MailKit's events.</summary>
public sealed class MailKitNotificationTests
{
    [Fact]
    public async Task Idle_is_woken_by_delivery_flag_changes_and_expunges_from_other_sessions()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("henry");
        await DeliverAsync(server, "henry", Message("one", "1"), Message("two", "2"));
        using var watcher = await ConnectAsync(server, "henry");
        using var actor = await ConnectAsync(server, "henry");
        var inbox = watcher.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var counts = new List<int>();
        var flagged = new List<int>();
        var expunged = new List<int>();
        var arrived = new SemaphoreSlim(0);
        inbox.CountChanged += (_, _) => { lock (counts) counts.Add(inbox.Count); arrived.Release(); };
        inbox.MessageFlagsChanged += (_, e) => { lock (flagged) flagged.Add(e.Index); arrived.Release(); };
        inbox.MessageExpunged += (_, e) => { lock (expunged) expunged.Add(e.Index); arrived.Release(); };

        using var done = new CancellationTokenSource();
        var idle = watcher.IdleAsync(done.Token);
        await Task.Delay(200);

        // New mail through SMTP: noticed within well under a second.
        var clock = Stopwatch.StartNew();
        await DeliverAsync(server, "henry", Message("three", "3"));
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(5)), "IDLE did not report the delivery");
        var latency = clock.Elapsed;
        Assert.True(latency < TimeSpan.FromSeconds(1), $"delivery noticed after {latency.TotalMilliseconds} ms");
        lock (counts) Assert.Equal(3, counts.Last());

        // Another session flags and expunges.
        await actor.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await actor.Inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Flagged, silent: true);
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(5)), "IDLE did not report the flag change");
        lock (flagged) Assert.Equal([1], flagged);
        await actor.Inbox.AddFlagsAsync(new UniqueId(1), MessageFlags.Deleted, silent: true);
        await arrived.WaitAsync(TimeSpan.FromSeconds(5));
        await actor.Inbox.ExpungeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            lock (expunged) if (expunged.Count > 0) break;
            await arrived.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
        lock (expunged) Assert.Equal([0], expunged);

        done.Cancel();
        await idle;
        Assert.Equal(2, inbox.Count);
        var uids = await inbox.SearchAsync(SearchQuery.All);
        Assert.Equal([2u, 3u], uids.Select(u => u.Id));
        await watcher.DisconnectAsync(true);
        await actor.DisconnectAsync(true);
    }

    [Fact]
    public async Task Noop_reports_changes_and_expunges_wait_for_a_command_that_allows_them()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("iris");
        await DeliverAsync(server, "iris", Message("one", "1"), Message("two", "2"), Message("three", "3"));
        using var a = await ConnectAsync(server, "iris");
        using var b = await ConnectAsync(server, "iris");
        await a.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await b.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await b.Inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Deleted, silent: true);
        await b.Inbox.ExpungeAsync();
        await DeliverAsync(server, "iris", Message("four", "4"));

        // A non-UID FETCH must not shift sequence numbers: message 2 is still there for A.
        // The expunged message cannot be fetched any more; the new one is announced (EXISTS) but
        // its expunge waits (RFC 9051 §7.4.1), so the count is 4 until a command allows it.
        var fetched = await a.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId);
        Assert.Equal([1u, 3u], fetched.Select(f => f.UniqueId.Id));
        Assert.Equal(4, a.Inbox.Count);
        await a.NoOpAsync();
        Assert.Equal(3, a.Inbox.Count);
        Assert.Equal([1u, 3u, 4u], (await a.Inbox.SearchAsync(SearchQuery.All)).Select(u => u.Id));
        await a.DisconnectAsync(true);
        await b.DisconnectAsync(true);
    }

    [Fact]
    public async Task Condstore_and_qresync_resynchronise_a_reopened_mailbox()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("jack");
        await DeliverAsync(server, "jack", Message("one", "1"), Message("two", "2"), Message("three", "3"));
        using var client = await ConnectAsync(server, "jack");
        await client.EnableQuickResyncAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var validity = inbox.UidValidity;
        var modseq = inbox.HighestModSeq;
        var known = await inbox.SearchAsync(SearchQuery.All);
        await inbox.CloseAsync();

        using (var other = await ConnectAsync(server, "jack"))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await other.Inbox.AddFlagsAsync(new UniqueId(3), MessageFlags.Answered, silent: true);
            await other.Inbox.AddFlagsAsync(new UniqueId(1), MessageFlags.Deleted, silent: true);
            await other.Inbox.ExpungeAsync();
            // UNCHANGEDSINCE: a conditional store against a stale MODSEQ is refused for that message.
            var failed = await other.Inbox.StoreAsync([new UniqueId(3)], new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged) { UnchangedSince = modseq });
            Assert.Equal([3u], failed.Select(u => u.Id));
            await other.DisconnectAsync(true);
        }

        var vanished = new List<uint>();
        var changed = new List<(uint, MessageFlags)>();
        inbox.MessagesVanished += (_, e) => vanished.AddRange(e.UniqueIds.Select(u => u.Id));
        inbox.MessageFlagsChanged += (_, e) => changed.Add((e.UniqueId!.Value.Id, e.Flags));
        await inbox.OpenAsync(FolderAccess.ReadWrite, validity, modseq, known);
        Assert.Equal([1u], vanished);
        Assert.Contains(changed, c => c.Item1 == 3 && c.Item2.HasFlag(MessageFlags.Answered));
        Assert.True(inbox.HighestModSeq > modseq);

        var since = await inbox.FetchAsync(0, -1, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags) { ChangedSince = modseq });
        Assert.Equal([3u], since.Select(s => s.UniqueId.Id));
        Assert.Equal([3u], (await inbox.SearchAsync(SearchQuery.ChangedSince(modseq))).Select(u => u.Id));
        await client.DisconnectAsync(true);
    }
}
