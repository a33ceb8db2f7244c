using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>The contract of <see cref="IMessageStore.ExpungeAsync"/>: exactly the named UIDs go,
/// quota is given back, HIGHESTMODSEQ moves once, and nothing of another account is touched.</summary>
public sealed class ExpungeContractTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-expunge-").FullName;
    private SqliteDatabase _db = null!;
    private IDirectoryStore _directory = null!;
    private IMessageStore _messages = null!;

    public async Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _directory = new SqliteDirectoryStore(_db);
        _messages = new SqliteMessageStore(_db);
        await _directory.AddDomainAsync("example.test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(Account Account, Mailbox Inbox)> AccountWithMessagesAsync(string name, int count)
    {
        var account = await _directory.AddAccountAsync(new NewAccount(name, "example.test", "x", 0, false, DefaultMailbox.Standard), CancellationToken.None);
        var batch = Enumerable.Range(1, count)
            .Select(i => new NewMessage(account.Id, Mailbox.Inbox, BlobId.Compute([(byte)i, (byte)name[0]]), 100 * i, DateTimeOffset.UtcNow, MessageFlags.None, [], $"m{i}", null))
            .ToList();
        await _messages.AppendAsync(batch, CancellationToken.None);
        var inbox = (await _messages.GetMailboxAsync(account.Id, Mailbox.Inbox, CancellationToken.None))!;
        return (account, inbox);
    }

    [Fact]
    public async Task Removes_exactly_the_named_uids_frees_quota_and_bumps_modseq_once()
    {
        var (account, inbox) = await AccountWithMessagesAsync("alice", 5);
        var before = (await _directory.GetAccountByIdAsync(account.Id, CancellationToken.None))!.UsedBytes;

        var result = await _messages.ExpungeAsync(account.Id, inbox.Id, [4, 2, 2, 99], CancellationToken.None);

        Assert.Equal([2u, 4u], result.Uids);
        Assert.Equal(600, result.FreedBytes);
        Assert.Equal(inbox.HighestModSeq + 1, result.ModSeq);
        Assert.Equal([1u, 3u, 5u], (await _messages.ListMessagesAsync(account.Id, inbox.Id, CancellationToken.None)).Select(m => m.Uid));
        Assert.Equal(before - 600, (await _directory.GetAccountByIdAsync(account.Id, CancellationToken.None))!.UsedBytes);
        var after = (await _messages.GetMailboxAsync(account.Id, Mailbox.Inbox, CancellationToken.None))!;
        Assert.Equal(result.ModSeq, after.HighestModSeq);
        Assert.Equal(inbox.UidNext, after.UidNext); // expunged UIDs are never handed out again

        var change = result.ToChange();
        Assert.Equal((account.Id, inbox.Id, Core.Events.MailboxChangeKind.Expunged, result.ModSeq), (change.AccountId, change.MailboxId, change.Kind, change.ModSeq));
        Assert.Equal(result.Uids, change.Uids);
    }

    [Fact]
    public async Task Expunging_nothing_changes_nothing()
    {
        var (account, inbox) = await AccountWithMessagesAsync("bob", 2);

        var result = await _messages.ExpungeAsync(account.Id, inbox.Id, [7, 8], CancellationToken.None);

        Assert.True(result.IsEmpty);
        Assert.Equal(inbox.HighestModSeq, result.ModSeq);
        Assert.Equal(inbox.HighestModSeq, (await _messages.GetMailboxAsync(account.Id, Mailbox.Inbox, CancellationToken.None))!.HighestModSeq);
        Assert.Equal(2, (await _messages.ListMessagesAsync(account.Id, inbox.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Another_accounts_mailbox_is_refused_and_left_untouched()
    {
        var (victim, victimInbox) = await AccountWithMessagesAsync("carol", 3);
        var (attacker, _) = await AccountWithMessagesAsync("mallory", 1);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => _messages.ExpungeAsync(attacker.Id, victimInbox.Id, [1, 2, 3], CancellationToken.None));

        Assert.Equal(3, (await _messages.ListMessagesAsync(victim.Id, victimInbox.Id, CancellationToken.None)).Count);
        Assert.Equal(victimInbox.HighestModSeq, (await _messages.GetMailboxAsync(victim.Id, Mailbox.Inbox, CancellationToken.None))!.HighestModSeq);
    }

    [Fact]
    public async Task Concurrent_expunges_of_the_same_uid_remove_it_once()
    {
        var (account, inbox) = await AccountWithMessagesAsync("dave", 3);

        var results = await Task.WhenAll(
            _messages.ExpungeAsync(account.Id, inbox.Id, [1, 2], CancellationToken.None),
            _messages.ExpungeAsync(account.Id, inbox.Id, [2, 3], CancellationToken.None));

        Assert.Equal([1u, 2u, 3u], results.SelectMany(r => r.Uids).Order());
        Assert.Equal(0, (await _directory.GetAccountByIdAsync(account.Id, CancellationToken.None))!.UsedBytes);
    }
}
