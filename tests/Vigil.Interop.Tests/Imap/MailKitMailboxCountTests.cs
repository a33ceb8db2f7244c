using MailKit;
using MailKit.Search;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>SELECT's EXISTS/UNSEEN and STATUS MESSAGES/UNSEEN/SIZE come from counters the store
/// keeps (not a recount): seen through MailKit from a second session, after delivery, APPEND,
/// STORE, EXPUNGE, COPY and MOVE made by another, they must agree with what SEARCH and FETCH of the
/// same mailbox say.</summary>
public sealed class MailKitMailboxCountTests
{
    [Fact]
    public async Task Select_and_status_counts_agree_with_search_after_every_change()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("olga");
        using var actor = await ConnectAsync(server, "olga");
        using var observer = await ConnectAsync(server, "olga");
        var inbox = actor.Inbox;
        var trash = await actor.GetFolderAsync("Trash");
        await inbox.OpenAsync(FolderAccess.ReadWrite);

        async Task AssertCountsAsync(string step)
        {
            foreach (var name in new[] { "INBOX", "Trash" })
            {
                var folder = await observer.GetFolderAsync(name);
                await folder.StatusAsync(StatusItems.Count | StatusItems.Unread | StatusItems.Size);
                var (count, unread, size) = (folder.Count, folder.Unread, folder.Size);
                await folder.OpenAsync(FolderAccess.ReadOnly);
                var all = await folder.SearchAsync(SearchQuery.All);
                var unseen = await folder.SearchAsync(SearchQuery.NotSeen);
                var sizes = all.Count == 0 ? [] : await folder.FetchAsync(all, MessageSummaryItems.Size);
                Assert.True(all.Count == count, $"{step}: {name} STATUS MESSAGES {count}, SEARCH ALL {all.Count}");
                Assert.True(folder.Count == all.Count, $"{step}: {name} EXISTS {folder.Count}, SEARCH ALL {all.Count}");
                Assert.True(unseen.Count == unread, $"{step}: {name} STATUS UNSEEN {unread}, SEARCH UNSEEN {unseen.Count}");
                Assert.Equal((ulong)sizes.Sum(s => (long)s.Size!.Value), size);
                // [UNSEEN n] at SELECT: the sequence number of the first unseen message (RFC 3501 §6.3.1).
                var firstUnseen = unseen.Count == 0 ? -1 : all.IndexOf(unseen.Min());
                Assert.True(folder.FirstUnread == firstUnseen, $"{step}: {name} UNSEEN {folder.FirstUnread}, expected {firstUnseen}");
                await folder.CloseAsync();
            }
        }

        await AssertCountsAsync("empty");
        await DeliverAsync(server, "olga", Message("one", "1"), Message("two", "2"), Message("three", "3"), Message("four", "4"));
        await inbox.AppendAsync(new AppendRequest(Message("appended seen", "5")) { Flags = MessageFlags.Seen });
        await inbox.AppendAsync(new AppendRequest(Message("appended deleted", "6")) { Flags = MessageFlags.Deleted });
        await AssertCountsAsync("delivery and APPEND");

        await inbox.CheckAsync();
        var uids = await inbox.SearchAsync(SearchQuery.All);
        await inbox.AddFlagsAsync([uids[0], uids[2]], MessageFlags.Seen, silent: true);
        await inbox.RemoveFlagsAsync(uids[4], MessageFlags.Seen, silent: true);
        await inbox.SetFlagsAsync(uids[1], MessageFlags.Deleted | MessageFlags.Flagged, silent: true);
        await AssertCountsAsync("STORE");

        await inbox.ExpungeAsync();
        await AssertCountsAsync("EXPUNGE");

        uids = await inbox.SearchAsync(SearchQuery.All);
        await inbox.CopyToAsync([uids[0], uids[1]], trash);
        await AssertCountsAsync("COPY");
        await inbox.MoveToAsync(uids[2], trash);
        await AssertCountsAsync("MOVE");

        await inbox.AddFlagsAsync(await inbox.SearchAsync(SearchQuery.All), MessageFlags.Seen, silent: true);
        await AssertCountsAsync("all seen");
        await actor.DisconnectAsync(true);
        await observer.DisconnectAsync(true);
    }
}
