using Vigil.Core.Delivery;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Routing;
using Vigil.Core.Submission;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests.Outbound;

/// <summary>The outbound queue, routes, DKIM keys and send policy in the embedded store.</summary>
public sealed class QueueStoreTests : IAsyncLifetime
{
    private OutboundFixture _f = null!;
    private static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync()
    {
        _f = new OutboundFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Enqueued_recipients_are_due_at_once_grouped_by_domain_and_survive_reopening()
    {
        var id = await _f.EnqueueAsync("alice@example.test", "bob@remote.test", "carol@REMOTE.test", "dave@other.test");
        var due = await _f.Queue.ListDueAsync(DateTimeOffset.UtcNow, Ct);
        Assert.Equal(2, due.Single(d => d.Domain == "remote.test").Recipients);
        Assert.Equal(1, due.Single(d => d.Domain == "other.test").Recipients);

        var items = await _f.Queue.TakeDueAsync("remote.test", DateTimeOffset.UtcNow, 10, [], Ct);
        var item = Assert.Single(items);
        Assert.Equal(id, item.Message.Id);
        Assert.Equal(["bob@remote.test", "carol@remote.test"], item.Recipients.Select(r => r.Address));
        Assert.Equal("alice@example.test", item.Message.Envelope.MailFrom);

        await using var reopened = SqliteDatabase.Open(_f.Db.Path);
        var again = await new SqliteQueueStore(reopened).GetAsync(id, Ct);
        Assert.Equal(3, again!.Recipients.Count);
    }

    [Fact]
    public async Task Take_skips_messages_held_by_another_worker_and_respects_the_limit()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await _f.EnqueueAsync("alice@example.test", $"r{i}@remote.test"));
        var first = await _f.Queue.TakeDueAsync("remote.test", DateTimeOffset.UtcNow, 2, [], Ct);
        Assert.Equal(ids.Take(2), first.Select(i => i.Message.Id)); // oldest first
        var second = await _f.Queue.TakeDueAsync("remote.test", DateTimeOffset.UtcNow, 10, first.Select(i => i.Message.Id).ToList(), Ct);
        Assert.Equal(ids.Skip(2), second.Select(i => i.Message.Id));
    }

    [Fact]
    public async Task Applying_results_reschedules_and_removes_a_message_once_nothing_is_pending_or_owed()
    {
        var id = await _f.EnqueueAsync("alice@example.test", "bob@remote.test", "carol@remote.test");
        var item = (await _f.Queue.TakeDueAsync("remote.test", DateTimeOffset.UtcNow, 10, [], Ct)).Single();
        var (bob, carol) = (item.Recipients[0], item.Recipients[1]);
        var later = DateTimeOffset.UtcNow.AddMinutes(5);
        await _f.Queue.ApplyAsync([
            new RecipientUpdate(bob.Id, bob.Progress with { State = RecipientState.Delivered, Attempts = 1, LastError = "smtp; 250 ok", Status = "2.0.0" }),
            new RecipientUpdate(carol.Id, carol.Progress with { Attempts = 1, NextAttempt = later, LastError = "smtp; 450 busy", Status = "4.0.0" }),
        ], Ct);
        Assert.Empty(await _f.Queue.ListDueAsync(DateTimeOffset.UtcNow, Ct));
        Assert.Equal(later.ToUnixTimeMilliseconds(), (await _f.Queue.NextDueAsync(Ct))!.Value.ToUnixTimeMilliseconds());

        await _f.Queue.ApplyAsync([new RecipientUpdate(carol.Id, carol.Progress with { State = RecipientState.Failed, Notice = DsnAction.Failed })], Ct);
        var owed = Assert.Single(await _f.Queue.ListWithNoticesAsync(10, Ct));
        Assert.Equal(DsnAction.Failed, owed.Recipients.Single(r => r.Id == carol.Id).Progress.Notice);

        await _f.Queue.ApplyAsync([new RecipientUpdate(carol.Id, carol.Progress with { State = RecipientState.Failed })], Ct);
        Assert.Null(await _f.Queue.GetAsync(id, Ct));
        Assert.Null(await _f.Queue.NextDueAsync(Ct));
    }

    [Fact]
    public async Task Retry_now_and_remove()
    {
        var a = await _f.EnqueueAsync("alice@example.test", "bob@remote.test");
        var b = await _f.EnqueueAsync("alice@example.test", "carol@remote.test");
        foreach (var r in (await _f.Queue.ListAsync(Ct)).SelectMany(e => e.Recipients))
        {
            await _f.Queue.ApplyAsync([new RecipientUpdate(r.Id, r.Progress with { Attempts = 1, NextAttempt = DateTimeOffset.UtcNow.AddHours(1) })], Ct);
        }
        Assert.Empty(await _f.Queue.ListDueAsync(DateTimeOffset.UtcNow, Ct));
        Assert.Equal(1, await _f.Queue.RetryNowAsync(a, DateTimeOffset.UtcNow, Ct));
        Assert.Equal(a, (await _f.Queue.TakeDueAsync("remote.test", DateTimeOffset.UtcNow, 10, [], Ct)).Single().Message.Id);
        Assert.Equal(2, await _f.Queue.RetryNowAsync(null, DateTimeOffset.UtcNow, Ct));
        Assert.True(await _f.Queue.RemoveAsync(b, Ct));
        Assert.False(await _f.Queue.RemoveAsync(b, Ct));
        Assert.Equal([a], (await _f.Queue.ListAsync(Ct)).Select(e => e.Message.Id));
    }

    [Fact]
    public async Task Dsn_parameters_round_trip()
    {
        var id = await _f.EnqueueAsync("alice@example.test", [new EnvelopeRecipient("bob@remote.test", DsnNotify.Success | DsnNotify.Failure, "rfc822;list@example.test")]);
        var r = (await _f.Queue.GetAsync(id, Ct))!.Recipients.Single();
        Assert.Equal(DsnNotify.Success | DsnNotify.Failure, r.Notify);
        Assert.Equal("rfc822;list@example.test", r.OriginalRecipient);
    }

    [Fact]
    public async Task Routes_are_set_replaced_listed_and_removed()
    {
        var routes = new SqliteRouteStore(_f.Db);
        await routes.SetAsync(new Route("*", "relay.test", 587, "u", "secret", TlsPolicy.Required), Ct);
        await routes.SetAsync(new Route("remote.test", null, 0, null, null, TlsPolicy.Verify), Ct);
        await routes.SetAsync(new Route("remote.test", "10.0.0.1", 2525, null, null, TlsPolicy.None), Ct);
        Assert.Equal(["remote.test", "*"], (await routes.ListAsync(Ct)).Select(r => r.Domain));
        var table = new RouteTable(routes);
        Assert.Equal("10.0.0.1", (await table.FindAsync("REMOTE.test", Ct)).Host);
        Assert.Equal("secret", (await table.FindAsync("elsewhere.test", Ct)).AuthSecret);
        Assert.True(await routes.RemoveAsync("*", Ct));
        Assert.False((await table.FindAsync("elsewhere.test", Ct)).IsSmartHost);
    }

    [Fact]
    public async Task Dkim_keys_and_send_policy_go_with_their_domain_and_account()
    {
        var dkim = new SqliteDkimKeyStore(_f.Db);
        await _f.Directory.AddDomainAsync("example.test", Ct);
        await Vigil.Security.Dkim.DkimKeyProvisioner.EnsureKeysAsync(dkim, "example.test", DateTimeOffset.UtcNow, Ct);
        await Vigil.Security.Dkim.DkimKeyProvisioner.EnsureKeysAsync(dkim, "example.test", DateTimeOffset.UtcNow, Ct); // idempotent
        var keys = await dkim.ListAsync("example.test", Ct);
        Assert.Equal([DkimAlgorithm.Rsa, DkimAlgorithm.Ed25519], keys.Select(k => k.Algorithm));
        Assert.Contains("BEGIN PRIVATE KEY", keys[0].PrivateKeyPem, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(keys[1].PublicKey).Length); // RFC 8463: raw Ed25519 key

        var account = await _f.Directory.AddAccountAsync(new Vigil.Core.Storage.NewAccount("alice", "example.test", "h", 0, false, []), Ct);
        var policies = new SqliteSendPolicyStore(_f.Db);
        await policies.AllowSenderAsync(account.Id, "*@other.test", Ct);
        await policies.SetRateAsync(account.Id, 7, Ct);
        Assert.Equal(new SendPolicy(["*@other.test"], 7).ExtraSenders, (await policies.GetAsync(account.Id, Ct)).ExtraSenders);
        Assert.Equal(7, (await policies.GetAsync(account.Id, Ct)).MessagesPerHour);
        Assert.True(await policies.RevokeSenderAsync(account.Id, "*@other.test", Ct));

        await _f.Directory.RemoveAccountAsync(account.Id, Ct);
        Assert.Null((await policies.GetAsync(account.Id, Ct)).MessagesPerHour);
        await _f.Directory.RemoveDomainAsync("example.test", Ct);
        Assert.Empty(await dkim.ListAsync("example.test", Ct));
    }
}
