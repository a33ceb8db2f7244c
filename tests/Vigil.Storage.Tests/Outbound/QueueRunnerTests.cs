using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Dsn;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests.Outbound;

/// <summary>The scheduler over the real store with a scripted delivery agent: results are
/// recorded, concurrency limits hold, an agent that fails loses nothing, and owed DSNs reach the
/// sender's INBOX (also when they were owed before a restart).</summary>
public sealed class QueueRunnerTests : IAsyncLifetime
{
    private OutboundFixture _f = null!;
    private Account _alice = null!;
    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _f = new OutboundFixture();
        await _f.Directory.AddDomainAsync("example.test", Ct);
        _alice = await _f.Directory.AddAccountAsync(new NewAccount("alice", "example.test", "h", 0, false, DefaultMailbox.Standard), Ct);
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private sealed class ScriptedAgent(Func<QueueRecipient, AttemptOutcome> decide) : IDeliveryAgent
    {
        private readonly ConcurrentDictionary<string, int> _active = new();
        public int MaxConcurrentPerDomain;
        public int MaxItemsPerJob;
        public int ThrowAfter = int.MaxValue;
        public int Jobs;

        public async Task DeliverAsync(DeliveryJob job, Func<QueueItem, IReadOnlyList<RecipientResult>, Task> completed, CancellationToken ct)
        {
            Interlocked.Increment(ref Jobs);
            var now = _active.AddOrUpdate(job.Domain, 1, (_, n) => n + 1);
            InterlockedMax(ref MaxConcurrentPerDomain, now);
            InterlockedMax(ref MaxItemsPerJob, job.Items.Count);
            try
            {
                var sent = 0;
                foreach (var item in job.Items)
                {
                    if (sent++ == ThrowAfter) throw new IOException("agent blew up");
                    await Task.Delay(5, ct);
                    await completed(item, item.Recipients.Select(r => decide(r) switch
                    {
                        AttemptOutcome.Delivered => new RecipientResult(r.Id, AttemptOutcome.Delivered, "2.0.0", "250 2.0.0 ok", true, "mx.test"),
                        AttemptOutcome.Failed => new RecipientResult(r.Id, AttemptOutcome.Failed, "5.1.1", "550 5.1.1 no such user", true, "mx.test"),
                        _ => new RecipientResult(r.Id, AttemptOutcome.Deferred, "4.2.0", "450 4.2.0 try later", true, "mx.test"),
                    }).ToList());
                }
            }
            finally
            {
                _active.AddOrUpdate(job.Domain, 0, (_, n) => n - 1);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    private async Task<T> RunUntilAsync<T>(IDeliveryAgent agent, OutboundOptions options, Func<Task<T?>> done) where T : class
    {
        var clock = TimeProvider.System;
        var reporter = new DsnReporter(_f.Queue, _f.Blobs, _f.Resolver, _f.Delivery, options, clock, NullLogger<DsnReporter>.Instance);
        var runner = new QueueRunner(_f.Queue, agent, reporter, new AttemptRecorder(new RetryPolicy(options)), _f.Signal, options, clock, NullLogger<QueueRunner>.Instance);
        using var stop = new CancellationTokenSource();
        var run = runner.RunAsync(stop.Token);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                if (await done() is { } result) return result;
                await Task.Delay(20);
            }
            throw new TimeoutException("the queue did not reach the expected state");
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    private async Task<IReadOnlyList<StoredMessage>> InboxAsync()
    {
        var inbox = await _f.Messages.GetMailboxAsync(_alice.Id, Mailbox.Inbox, Ct);
        return await _f.Messages.ListMessagesAsync(_alice.Id, inbox!.Id, Ct);
    }

    [Fact]
    public async Task Results_are_recorded_and_a_failure_bounces_to_the_local_sender()
    {
        var agent = new ScriptedAgent(r => r.Address.StartsWith("ok", StringComparison.Ordinal) ? AttemptOutcome.Delivered
            : r.Address.StartsWith("later", StringComparison.Ordinal) ? AttemptOutcome.Deferred : AttemptOutcome.Failed);
        var id = await _f.EnqueueAsync("alice@example.test", "ok@remote.test", "later@remote.test", "gone@remote.test");
        var options = new OutboundOptions { Hostname = "mail.example.test", FirstRetry = TimeSpan.FromHours(1) };

        // Done when the DSN is in the INBOX and its notice is cleared (the two are separate commits).
        var inbox = await RunUntilAsync(agent, options, async () =>
            await InboxAsync() is { Count: 1 } list && (await _f.Queue.ListWithNoticesAsync(10, Ct)).Count == 0 ? list : null);
        Assert.Equal("Undelivered Mail Returned to Sender", inbox[0].Subject);
        var entry = (await _f.Queue.GetAsync(id, Ct))!;
        Assert.Equal(RecipientState.Delivered, entry.Recipients.Single(r => r.Address.StartsWith("ok", StringComparison.Ordinal)).Progress.State);
        var later = entry.Recipients.Single(r => r.Address.StartsWith("later", StringComparison.Ordinal)).Progress;
        Assert.Equal(RecipientState.Pending, later.State);
        Assert.True(later.NextAttempt > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Equal("smtp; 450 4.2.0 try later", later.LastError);
        var gone = entry.Recipients.Single(r => r.Address.StartsWith("gone", StringComparison.Ordinal)).Progress;
        Assert.Equal((RecipientState.Failed, (DsnAction?)null), (gone.State, gone.Notice)); // reported, so no longer owed
    }

    [Fact]
    public async Task Concurrency_and_batch_limits_hold_and_everything_is_delivered()
    {
        for (var i = 0; i < 30; i++) await _f.EnqueueAsync("alice@example.test", $"r{i}@remote.test");
        for (var i = 0; i < 5; i++) await _f.EnqueueAsync("alice@example.test", $"r{i}@other.test");
        var agent = new ScriptedAgent(_ => AttemptOutcome.Delivered);
        var options = new OutboundOptions { ConnectionsPerDestination = 2, MessagesPerConnection = 4 };
        await RunUntilAsync(agent, options, async () => await _f.Queue.ListAsync(Ct) is { Count: 0 } ? "empty" : null);
        Assert.InRange(agent.MaxConcurrentPerDomain, 1, 2);
        Assert.InRange(agent.MaxItemsPerJob, 1, 4);
        Assert.True(agent.Jobs >= 30 / 4 + 5 / 4);
    }

    [Fact]
    public async Task An_agent_that_throws_loses_nothing()
    {
        for (var i = 0; i < 4; i++) await _f.EnqueueAsync("alice@example.test", $"r{i}@remote.test");
        var agent = new ScriptedAgent(_ => AttemptOutcome.Delivered) { ThrowAfter = 1 };
        var options = new OutboundOptions { MessagesPerConnection = 10, ConnectionsPerDestination = 1, FirstRetry = TimeSpan.FromHours(1) };
        var entries = await RunUntilAsync(agent, options, async () =>
            await _f.Queue.ListAsync(Ct) is { } list && list.Count == 3 && list.All(e => e.Recipients.All(r => r.Progress.Attempts == 1)) ? list : null);
        Assert.All(entries.SelectMany(e => e.Recipients), r => Assert.Equal((RecipientState.Pending, "4.3.0"), (r.Progress.State, r.Progress.Status)));
        Assert.All(entries.SelectMany(e => e.Recipients), r => Assert.Contains("agent blew up", r.Progress.LastError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notice_owed_before_a_restart_is_sent_when_the_runner_starts()
    {
        var id = await _f.EnqueueAsync("alice@example.test", "gone@remote.test");
        var r = (await _f.Queue.GetAsync(id, Ct))!.Recipients.Single();
        // The state a crash right after recording the failure leaves behind.
        await _f.Queue.ApplyAsync([new RecipientUpdate(r.Id, r.Progress with { State = RecipientState.Failed, Attempts = 1, LastError = "smtp; 550 5.1.1 no", Status = "5.1.1", Notice = DsnAction.Failed })], Ct);
        var agent = new ScriptedAgent(_ => AttemptOutcome.Delivered);
        // The notice lands in the inbox before the entry is removed: wait for both.
        var inbox = await RunUntilAsync(agent, new OutboundOptions(), async () =>
            await InboxAsync() is { Count: 1 } list && await _f.Queue.GetAsync(id, Ct) is null ? list : null);
        Assert.Equal("Undelivered Mail Returned to Sender", inbox[0].Subject);
        Assert.Null(await _f.Queue.GetAsync(id, Ct));
        Assert.Equal(0, agent.Jobs);
    }
}
