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

    /// <summary>App passwords belong to one account id: no other account lists, finds or revokes
    /// them, they go with the account, and an address re-created under the same name has none.</summary>
    [Fact]
    public async Task App_passwords_are_scoped_by_account_and_do_not_survive_a_recreated_account()
    {
        var alice = await AddAccountAsync("alice");
        var mallory = await AddAccountAsync("mallory");
        var phone = await Directory.AddAppPasswordAsync(alice.Id, "phone", "AbCd", "h-phone", Ct);
        await Directory.AddAppPasswordAsync(alice.Id, "thunderbird", "EfGh", "h-tb", Ct);
        Assert.Equal(("phone", "AbCd", "h-phone", false, (DateTimeOffset?)null), (phone.Name, phone.Selector, phone.Hash, phone.Expired, phone.LastUsed));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Directory.AddAppPasswordAsync(alice.Id, "PHONE", "WxYz", "h", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Directory.AddAppPasswordAsync(alice.Id, "other", "AbCd", "h", Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Directory.AddAppPasswordAsync(999_999, "x", "Zzzz", "h", Ct));
        Assert.Equal(["phone", "thunderbird"], (await Directory.ListAppPasswordsAsync(alice.Id, Ct)).Select(a => a.Name));

        // the same name and selector on another account is another row
        await Directory.AddAppPasswordAsync(mallory.Id, "phone", "AbCd", "h-m", Ct);
        Assert.Equal("h-m", (await Directory.FindAppPasswordAsync(mallory.Id, "AbCd", Ct))!.Hash);
        Assert.Equal("h-phone", (await Directory.FindAppPasswordAsync(alice.Id, "AbCd", Ct))!.Hash);
        Assert.Null(await Directory.FindAppPasswordAsync(mallory.Id, "EfGh", Ct));
        Assert.False(await Directory.RemoveAppPasswordAsync(mallory.Id, "thunderbird", Ct));
        await Directory.MarkAppPasswordUsedAsync(mallory.Id, phone.Id, DateTimeOffset.UtcNow, Ct); // not mallory's row: no effect
        Assert.Null((await Directory.FindAppPasswordAsync(alice.Id, "AbCd", Ct))!.LastUsed);

        var used = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await Directory.MarkAppPasswordUsedAsync(alice.Id, phone.Id, used, Ct);
        Assert.Equal(used, (await Directory.FindAppPasswordAsync(alice.Id, "AbCd", Ct))!.LastUsed);
        Assert.True(await Directory.RemoveAppPasswordAsync(alice.Id, "Phone", Ct));
        Assert.Equal(["thunderbird"], (await Directory.ListAppPasswordsAsync(alice.Id, Ct)).Select(a => a.Name));

        Assert.True(await Directory.RemoveAccountAsync(alice.Id, Ct));
        Assert.Empty(await Directory.ListAppPasswordsAsync(alice.Id, Ct));
        var reborn = await AddAccountAsync("alice");
        Assert.Empty(await Directory.ListAppPasswordsAsync(reborn.Id, Ct));
        Assert.Null(await Directory.FindAppPasswordAsync(reborn.Id, "EfGh", Ct));
        Assert.Single(await Directory.ListAppPasswordsAsync(mallory.Id, Ct));
    }

    /// <summary>A forced reset expires the account's app passwords with its password; setting a new
    /// password removes them (they do not come back) but keeps app passwords added since.</summary>
    [Fact]
    public async Task Expiring_the_password_expires_app_passwords_and_a_new_password_removes_them()
    {
        var bob = await AddAccountAsync("bob");
        var carol = await AddAccountAsync("carol");
        await Directory.AddAppPasswordAsync(bob.Id, "phone", "AbCd", "h", Ct);
        await Directory.AddAppPasswordAsync(carol.Id, "phone", "AbCd", "h", Ct);
        await Directory.SetPasswordAsync(bob.Id, "hash", expired: true, Ct);
        Assert.True((await Directory.FindAppPasswordAsync(bob.Id, "AbCd", Ct))!.Expired);
        Assert.False((await Directory.FindAppPasswordAsync(carol.Id, "AbCd", Ct))!.Expired);

        await Directory.SetPasswordAsync(bob.Id, "h2", expired: false, Ct);
        Assert.Empty(await Directory.ListAppPasswordsAsync(bob.Id, Ct));
        await Directory.AddAppPasswordAsync(bob.Id, "laptop", "EfGh", "h", Ct);
        await Directory.SetPasswordAsync(bob.Id, "h3", expired: false, Ct); // an ordinary change keeps current ones
        Assert.Equal(["laptop"], (await Directory.ListAppPasswordsAsync(bob.Id, Ct)).Select(a => a.Name));
        Assert.Single(await Directory.ListAppPasswordsAsync(carol.Id, Ct));
    }
}
