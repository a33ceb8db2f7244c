using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vigil.Core.Outbound.Dsn;

namespace Vigil.Core.Outbound;

/// <summary>The scheduler (Postfix's qmgr): finds destinations with due recipients, hands batches
/// to the delivery agent within the per-destination and global concurrency limits, records every
/// result as soon as it is known, and runs the report stage. It keeps nothing that matters in
/// memory: the set of messages in flight only stops two workers of this process from taking the
/// same message; after a restart everything still pending in the store is simply due.</summary>
public sealed partial class QueueRunner(
    IQueueStore store,
    IDeliveryAgent agent,
    DsnReporter reporter,
    AttemptRecorder recorder,
    QueueSignal signal,
    OutboundOptions options,
    TimeProvider clock,
    ILogger<QueueRunner> logger,
    OutboundPause? pause = null)
{
    /// <summary>The longest sleep between scans: a <c>vigil queue retry</c> from another process (which
    /// cannot signal) or a changed clock costs at most this.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _jobsPerDomain = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Task, byte> _jobs = new();

    public int ActiveJobs => _jobs.Count;

    public async Task RunAsync(CancellationToken ct)
    {
        LogStarted(logger);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (pause is { IsPaused: true })
                {
                    // Locked down: nothing leaves; the queue keeps everything for after the release.
                    LogPaused(logger, pause.Reason ?? "");
                    await pause.WaitWhilePausedAsync(ct);
                    continue;
                }
                TimeSpan sleep;
                // Lockdown: nothing leaves (not even a DSN) until it is lifted; the queue keeps filling.
                if (pause is not null) await pause.WaitWhilePausedAsync(ct);
                try
                {
                    await reporter.ReportPendingAsync(ct);
                    await StartDueJobsAsync(ct);
                    sleep = await TimeUntilNextDueAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store or DSN error must not stop outbound mail for good: log, back off, rescan.
                    LogScanFailed(logger, ex);
                    sleep = TimeSpan.FromSeconds(5);
                }
                await signal.WaitAsync(sleep, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_jobs.Keys);
        }
    }

    private async Task StartDueJobsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var destination in await store.ListDueAsync(now, ct))
        {
            while (_jobs.Count < options.MaxConcurrentDestinations * options.ConnectionsPerDestination
                && _jobsPerDomain.GetValueOrDefault(destination.Domain) < options.ConnectionsPerDestination)
            {
                var items = await store.TakeDueAsync(destination.Domain, now, options.MessagesPerConnection, _inFlight.Keys.ToList(), ct);
                if (items.Count == 0) break;
                foreach (var item in items) _inFlight[item.Message.Id] = 0;
                _jobsPerDomain.AddOrUpdate(destination.Domain, 1, (_, n) => n + 1);
                var job = Task.Run(() => RunJobAsync(new DeliveryJob(destination.Domain, items), ct), CancellationToken.None);
                _jobs[job] = 0;
                _ = job.ContinueWith(t => _jobs.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
    }

    private async Task RunJobAsync(DeliveryJob job, CancellationToken ct)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await agent.DeliverAsync(job, async (item, results) =>
            {
                await RecordAsync(item, results, ct);
                done.Add(item.Message.Id);
                _inFlight.TryRemove(item.Message.Id, out _);
            }, ct);

            // An agent must report every item; anything it skipped is retried later, not lost. One
            // that stopped because of a pause was not attempted: it stays due, with no attempt counted.
            foreach (var item in job.Items.Where(i => !done.Contains(i.Message.Id)))
            {
                if (pause?.IsPaused == true) continue;
                await RecordAsync(item, Deferred(item, "4.3.0", "delivery agent returned without a result"), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: unreported items stay pending and due, and the next start sends them.
        }
        catch (Exception ex)
        {
            LogJobFailed(logger, ex, job.Domain);
            foreach (var item in job.Items.Where(i => !done.Contains(i.Message.Id)))
            {
                try { await RecordAsync(item, Deferred(item, "4.3.0", "local error: " + ex.Message), ct); }
                catch (Exception inner) when (inner is not OperationCanceledException) { LogJobFailed(logger, inner, job.Domain); }
            }
        }
        finally
        {
            foreach (var item in job.Items) _inFlight.TryRemove(item.Message.Id, out _);
            _jobsPerDomain.AddOrUpdate(job.Domain, 0, (_, n) => Math.Max(0, n - 1));
            signal.Set();
        }
    }

    private async Task RecordAsync(QueueItem item, IReadOnlyList<RecipientResult> results, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var byId = results.ToDictionary(r => r.RecipientId);
        var updates = new List<RecipientUpdate>(item.Recipients.Count);
        foreach (var recipient in item.Recipients)
        {
            var result = byId.GetValueOrDefault(recipient.Id)
                ?? new RecipientResult(recipient.Id, AttemptOutcome.Deferred, "4.3.0", "no result for this recipient", false, null);
            var update = recorder.Record(item.Message, recipient, result, now, Random.Shared.NextDouble());
            updates.Add(update);
            LogAttempt(logger, item.Message.Id, recipient.Address, update.Progress.State.ToString().ToLowerInvariant(), result.RemoteMta ?? "-", update.Progress.Status ?? "-", update.Progress.LastError ?? "-");
        }
        await store.ApplyAsync(updates, CancellationToken.None); // once the remote said 250, record it even when stopping
        if (updates.Any(u => u.Progress.Notice is not null)) signal.Set();
    }

    private static List<RecipientResult> Deferred(QueueItem item, string status, string text) =>
        item.Recipients.Select(r => new RecipientResult(r.Id, AttemptOutcome.Deferred, status, text, false, null)).ToList();

    private async Task<TimeSpan> TimeUntilNextDueAsync(CancellationToken ct)
    {
        var next = await store.NextDueAsync(ct);
        if (next is null) return MaxIdle;
        var wait = next.Value - clock.GetUtcNow();
        // Due now but not started: those messages are in flight (or over a concurrency limit), and a
        // finishing job signals, so there is no need to poll for them.
        if (wait <= TimeSpan.Zero) return _jobs.IsEmpty ? TimeSpan.FromMilliseconds(50) : MaxIdle;
        return wait > MaxIdle ? MaxIdle : wait;
    }

    [LoggerMessage(EventId = 5205, EventName = "outbound.paused", Level = LogLevel.Warning, Message = "Outbound delivery paused: {Reason}")]
    private static partial void LogPaused(ILogger logger, string reason);

    [LoggerMessage(EventId = 5201, EventName = "queue.runner_started", Level = LogLevel.Information, Message = "Outbound queue runner started")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(EventId = 5202, EventName = "queue.attempt", Level = LogLevel.Information,
        Message = "{QueueId} to=<{Recipient}> state={State} relay={Relay} status={Status} ({Detail})")]
    private static partial void LogAttempt(ILogger logger, string queueId, string recipient, string state, string relay, string status, string detail);

    [LoggerMessage(EventId = 5203, EventName = "queue.job_failed", Level = LogLevel.Error, Message = "Delivery job for {Domain} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception ex, string domain);

    [LoggerMessage(EventId = 5204, EventName = "queue.scan_failed", Level = LogLevel.Error, Message = "Outbound queue scan failed; retrying shortly")]
    private static partial void LogScanFailed(ILogger logger, Exception ex);
}
