using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>DESIGN.md lesson: no account can see, search, fetch or infer another's mail over
/// IMAP, including an account deleted and re-created under the same name.</summary>
public sealed class ImapIsolationTests
{
    [Fact]
    public async Task No_account_sees_another_accounts_mail_even_when_recreated_under_the_same_name()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.AddUserAsync("alice");
        await server.AddUserAsync("bob");
        await DeliverAsync(server, "alice", Message("secret plans", "the launch code is swordfish"), Message("more", "swordfish again"));

        UniqueId aliceUid;
        uint oldValidity;
        using (var a = await ConnectAsync(server, "alice"))
        {
            await a.Inbox.OpenAsync(FolderAccess.ReadWrite);
            aliceUid = (await a.Inbox.SearchAsync(SearchQuery.BodyContains("swordfish")))[0];
            oldValidity = a.Inbox.UidValidity;
            await a.GetFolder(a.PersonalNamespaces[0]).CreateAsync("Private", true);
            await a.DisconnectAsync(true);
        }

        using (var b = await ConnectAsync(server, "bob"))
        {
            await b.Inbox.OpenAsync(FolderAccess.ReadWrite);
            Assert.Equal(0, b.Inbox.Count);
            Assert.Empty(await b.Inbox.SearchAsync(SearchQuery.BodyContains("swordfish")));
            Assert.Empty(await b.Inbox.SearchAsync(SearchQuery.Uids([aliceUid])));
            Assert.Empty(await b.Inbox.FetchAsync([aliceUid], MessageSummaryItems.Envelope));
            Assert.DoesNotContain(await b.GetFoldersAsync(b.PersonalNamespaces[0]), f => f.FullName == "Private");
            await Assert.ThrowsAsync<FolderNotFoundException>(() => b.GetFolderAsync("Private"));
            await b.DisconnectAsync(true);
        }

        // Delete alice and create her again: the new principal starts empty.
        Assert.True(await server.Get<IDirectoryStore>().RemoveAccountAsync(alice.Id, default));
        await server.AddUserAsync("alice");
        using var again = await ConnectAsync(server, "alice");
        await again.Inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(0, again.Inbox.Count);
        Assert.NotEqual(oldValidity, again.Inbox.UidValidity);
        Assert.Empty(await again.Inbox.SearchAsync(SearchQuery.BodyContains("swordfish")));
        Assert.Empty(await again.Inbox.FetchAsync([aliceUid], MessageSummaryItems.Envelope));
        await again.Inbox.StatusAsync(StatusItems.Count | StatusItems.UidNext);
        Assert.Equal(1u, again.Inbox.UidNext!.Value.Id);
        Assert.DoesNotContain(await again.GetFoldersAsync(again.PersonalNamespaces[0]), f => f.FullName == "Private");
        await again.DisconnectAsync(true);
    }
}
