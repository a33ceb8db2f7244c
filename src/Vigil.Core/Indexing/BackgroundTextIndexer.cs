using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Indexing;

/// <summary>When the background indexer runs (docs/imap.md, "Full-text index").</summary>
public sealed record TextIndexingOptions
{
    /// <summary>Mail queued more recently than this means the server is busy receiving: indexing
    /// waits, so its CPU and its writes do not slow the deliveries down.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest indexing waits for a quiet moment; after that it runs alongside
    /// deliveries until the queue is empty.</summary>
    public TimeSpan MaxDeferral { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages listed per round (their text is written in pieces of at most
    /// <see cref="TextIndexer.FlushChars"/> characters).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>How often an idle indexer looks for mail queued in this process.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often it asks the database, for entries queued by another process (a mailbox
    /// restore run from the command line).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The background half of full-text indexing: at start it indexes whatever a previous run
/// left queued (catch-up, logged), then it follows new mail, in bounded batches, preferring quiet
/// moments. Searches never wait for it (<see cref="TextSearch"/>).</summary>
public sealed partial class BackgroundTextIndexer(TextIndexer indexer, ITextIndexStore store, TextIndexingOptions options, ILogger<BackgroundTextIndexer> logger)
{
    private long _seenSignal = long.MinValue;
    private long _signalChanged;

    public async Task RunAsync(CancellationToken ct)
    {
        var drained = store.QueuedSignal;
        var backlog = await store.CountPendingAsync(ct);
        if (backlog > 0)
        {
            LogCatchUp(logger, backlog);
            var started = Stopwatch.GetTimestamp();
            var indexed = await TryDrainAsync(deferToMail: false, ct);
            LogCatchUpDone(logger, indexed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var lastPoll = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(options.Tick, ct);
            var poll = Stopwatch.GetElapsedTime(lastPoll) >= options.Poll;
            var signal = store.QueuedSignal;
            if (signal == drained && !poll) continue; // nothing queued here since the last drain
            // Read before draining: the signal moves after each commit, so whatever is queued from
            // now on makes the next round drain again.
            drained = signal;
            if (poll) lastPoll = Stopwatch.GetTimestamp();
            var started = Stopwatch.GetTimestamp();
            var indexed = await TryDrainAsync(deferToMail: true, ct);
            if (indexed > 0) LogDrained(logger, indexed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>A failed round (the database busy or full, a disk error) is logged and retried
    /// at the next poll: the entries stay queued, searches index what they need themselves.</summary>
    private async Task<long> TryDrainAsync(bool deferToMail, CancellationToken ct)
    {
        try
        {
            return await DrainAsync(deferToMail, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex.GetType().Name, ex.Message);
            return 0;
        }
    }

    /// <summary>Indexes until the queue is empty. With <paramref name="deferToMail"/>, waits
    /// while mail is arriving, for at most <see cref="TextIndexingOptions.MaxDeferral"/>.</summary>
    private async Task<long> DrainAsync(bool deferToMail, CancellationToken ct)
    {
        long indexed = 0;
        long? deferredSince = null;
        while (true)
        {
            if (deferToMail && Busy())
            {
                deferredSince ??= Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(deferredSince.Value) < options.MaxDeferral)
                {
                    await Task.Delay(options.Tick, ct);
                    continue;
                }
            }
            else
            {
                deferredSince = null;
            }
            var listed = await indexer.IndexOldestAsync(options.BatchSize, ct);
            if (listed == 0) return indexed;
            indexed += listed;
        }
    }

    /// <summary>True while this process queued mail within the quiet period.</summary>
    private bool Busy()
    {
        var signal = store.QueuedSignal;
        if (signal != _seenSignal)
        {
            _seenSignal = signal;
            _signalChanged = Stopwatch.GetTimestamp();
        }
        return Stopwatch.GetElapsedTime(_signalChanged) < options.QuietPeriod;
    }

    [LoggerMessage(EventId = 2101, EventName = "index.catchup", Level = LogLevel.Information,
        Message = "Full-text index: {Count} message(s) were left queued by the previous run; indexing them now")]
    private static partial void LogCatchUp(ILogger logger, long count);

    [LoggerMessage(EventId = 2102, EventName = "index.catchup-done", Level = LogLevel.Information,
        Message = "Full-text index caught up: {Count} message(s) indexed in {Milliseconds} ms")]
    private static partial void LogCatchUpDone(ILogger logger, long count, long milliseconds);

    [LoggerMessage(EventId = 2106, EventName = "index.failed", Level = LogLevel.Error,
        Message = "Full-text indexing failed ({Error}: {Message}); the messages stay queued and are retried")]
    private static partial void LogFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 2105, EventName = "index.drained", Level = LogLevel.Debug,
        Message = "Full-text index: {Count} queued message(s) indexed in {Milliseconds} ms")]
    private static partial void LogDrained(ILogger logger, long count, long milliseconds);
}
