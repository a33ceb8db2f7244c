using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>The behaviour every store backend must have. A backend's test class derives from this
/// and supplies the stores (SQLite now; PostgreSQL runs the same cases later).</summary>
public abstract class StoreContract : IAsyncLifetime
{
    protected IDirectoryStore Directory { get; private set; } = null!;
    protected IMessageStore Messages { get; private set; } = null!;
    protected static CancellationToken Ct => CancellationToken.None;

    protected abstract Task<(IDirectoryStore, IMessageStore)> CreateAsync();
    protected abstract Task DestroyAsync();

    public async Task InitializeAsync()
    {
        (Directory, Messages) = await CreateAsync();
        await Directory.AddDomainAsync("example.test", Ct);
    }

    public Task DisposeAsync() => DestroyAsync();

    protected Task<Account> AddAccountAsync(string local, long quota = 0) =>
        Directory.AddAccountAsync(new NewAccount(local, "example.test", "hash", quota, false, DefaultMailbox.Standard), Ct);

    protected static NewMessage Msg(long account, string subject, int size = 100, string mailbox = Mailbox.Inbox) =>
        new(account, mailbox, BlobId.Compute(System.Text.Encoding.UTF8.GetBytes(subject)), size, DateTimeOffset.UtcNow, MessageFlags.None, [], subject, null);

    [Fact]
    public async Task Domains_are_unique_case_insensitive_and_removable_only_when_empty()
    {
        Assert.NotNull(await Directory.GetDomainAsync("EXAMPLE.test", Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => Directory.AddDomainAsync("Example.Test", Ct));
        await AddAccountAsync("bob");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Directory.RemoveDomainAsync("example.test", Ct));
        await Directory.AddDomainAsync("other.test", Ct);
        Assert.True(await Directory.RemoveDomainAsync("other.test", Ct));
        Assert.Equal(["example.test"], (await Directory.ListDomainsAsync(Ct)).Select(d => d.Name));
    }

    [Fact]
    public async Task New_account_gets_the_standard_mailboxes_with_special_use()
    {
        var bob = await AddAccountAsync("bob");
        var boxes = await Messages.ListMailboxesAsync(bob.Id, Ct);
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], boxes.Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal(@"\Sent", boxes.Single(b => b.Name == "Sent").SpecialUse);
        Assert.Equal(6, boxes.Select(b => b.UidValidity).Distinct().Count());
        Assert.Equal("bob@example.test", (await Directory.GetAccountAsync("BOB", "example.test", Ct))!.Address);
    }

    [Fact]
    public async Task Append_assigns_increasing_uids_and_modseqs_and_counts_quota()
    {
        var bob = await AddAccountAsync("bob");
        var first = await Messages.AppendAsync([Msg(bob.Id, "one", 10), Msg(bob.Id, "two", 20)], Ct);
        var second = await Messages.AppendAsync([Msg(bob.Id, "three", 30)], Ct);
        Assert.Equal([1u, 2u, 3u], first.Concat(second).Select(a => a.Uid));
        Assert.True(first[1].ModSeq > first[0].ModSeq && second[0].ModSeq > first[1].ModSeq);
        Assert.Equal(60, (await Directory.GetAccountByIdAsync(bob.Id, Ct))!.UsedBytes);
        Assert.Equal(["one", "two", "three"], (await Messages.ListMessagesAsync(bob.Id, first[0].MailboxId, Ct)).Select(m => m.Subject));
    }

    [Fact]
    public async Task Append_to_a_missing_mailbox_fails_whole()
    {
        var bob = await AddAccountAsync("bob");
        await Assert.ThrowsAnyAsync<Exception>(() => Messages.AppendAsync([Msg(bob.Id, "ok"), Msg(bob.Id, "bad", mailbox: "Nope")], Ct));
        var inbox = await Messages.GetMailboxAsync(bob.Id, Mailbox.Inbox, Ct);
        Assert.Empty(await Messages.ListMessagesAsync(bob.Id, inbox!.Id, Ct));
    }

    /// <summary>DESIGN.md lesson: every query is scoped by account; no account sees another's mail,
    /// including an account deleted and re-created under the same name.</summary>
    [Fact]
    public async Task No_account_sees_another_accounts_mail_even_when_recreated_under_the_same_name()
    {
        var alice = await AddAccountAsync("alice");
        var mallory = await AddAccountAsync("mallory");
        var appended = await Messages.AppendAsync([Msg(alice.Id, "secret")], Ct);
        var aliceInbox = appended[0].MailboxId;

        Assert.Empty(await Messages.ListMessagesAsync(mallory.Id, aliceInbox, Ct));   // foreign mailbox id
        Assert.Null(await Messages.GetMailboxAsync(mallory.Id, "Nope", Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Messages.ExpungeAsync(mallory.Id, aliceInbox, [1], Ct)); // nor delete
        Assert.Single(await Messages.ListMessagesAsync(alice.Id, aliceInbox, Ct));

        Assert.True(await Directory.RemoveAccountAsync(alice.Id, Ct));
        var reborn = await AddAccountAsync("alice");
        Assert.NotEqual(alice.Id, reborn.Id);
        Assert.Empty(await Messages.ListMessagesAsync(reborn.Id, aliceInbox, Ct));
        var newInbox = await Messages.GetMailboxAsync(reborn.Id, Mailbox.Inbox, Ct);
        Assert.Empty(await Messages.ListMessagesAsync(reborn.Id, newInbox!.Id, Ct));
        Assert.Equal(0, reborn.UsedBytes);
        Assert.False(await Messages.IsBlobReferencedAsync(Msg(alice.Id, "secret").BlobId, Ct)); // the old rows are gone with the account
    }

    [Fact]
    public async Task Aliases_and_catch_all_are_listed_and_removed_per_target()
    {
        await Directory.AddAliasAsync("sales", "example.test", "a@example.test", Ct);
        await Directory.AddAliasAsync("sales", "example.test", "b@example.test", Ct);
        await Directory.AddAliasAsync("*", "example.test", "c@example.test", Ct);
        Assert.Equal(["a@example.test", "b@example.test"], await Directory.GetAliasTargetsAsync("SALES", "example.test", Ct));
        Assert.Equal(1, await Directory.RemoveAliasAsync("sales", "example.test", "a@example.test", Ct));
        Assert.Equal(["b@example.test"], await Directory.GetAliasTargetsAsync("sales", "example.test", Ct));
        Assert.Equal(["*", "sales"], (await Directory.ListAliasesAsync("example.test", Ct)).Select(a => a.LocalPart));
    }

    [Fact]
    public async Task Password_change_clears_or_sets_the_expired_flag()
    {
        var bob = await AddAccountAsync("bob");
        await Directory.SetPasswordAsync(bob.Id, "h2", expired: true, Ct);
        var expired = (await Directory.GetAccountByIdAsync(bob.Id, Ct))!;
        Assert.True(expired.PasswordExpired);
        Assert.Equal("h2", expired.PasswordHash);
        await Directory.SetPasswordAsync(bob.Id, "h3", expired: false, Ct);
        Assert.False((await Directory.GetAccountByIdAsync(bob.Id, Ct))!.PasswordExpired);
    }
}
