using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Host.Hosting;

/// <summary>When and how much the server deletes of deleted mail (docs/storage.md, "Deleted mail").
/// <see cref="Interval"/> zero or less: never.</summary>
public sealed record BlobSweepOptions(TimeSpan Interval, TimeSpan Grace, int Batch)
{
    /// <summary>Rounds one tick may run back to back while each finds a full batch, so a large
    /// backlog (the first start after an upgrade) drains in minutes without one long transaction.</summary>
    public const int MaxRoundsPerTick = 50;
}

/// <summary>Deletes the bodies of deleted mail in the running server: first releases every body
/// nothing references (mail deleted before this existed, and what a crash left), then every
/// <see cref="BlobSweepOptions.Interval"/> runs <see cref="BlobSweeper"/> rounds for releases older
/// than the grace period. Logs each round that deleted something (<c>storage.bodies_deleted</c>)
/// and counts it in the metrics.</summary>
public sealed partial class BlobSweepService(BlobSweeper sweeper, BlobSweepOptions options, BlobSweepMetrics metrics, TimeProvider time, ILogger<BlobSweepService> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _one = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (options.Interval <= TimeSpan.Zero)
        {
            LogOff(logger);
            return;
        }
        try
        {
            var released = await sweeper.ReleaseOrphansAsync(stoppingToken);
            if (released > 0) LogOrphans(logger, released);
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepNowAsync(stoppingToken);
                await Task.Delay(options.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Runs rounds until one finds less than a full batch (at most
    /// <see cref="BlobSweepOptions.MaxRoundsPerTick"/>); returns the totals. The timer calls it;
    /// tests call it too, to sweep without waiting for the next tick.</summary>
    public async Task<BlobSweepRound> SweepNowAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var total = new BlobSweepRound(false, 0, 0, 0, 0, 0, 0, 0);
            for (var i = 0; i < BlobSweepOptions.MaxRoundsPerTick; i++)
            {
                BlobSweepRound round;
                try
                {
                    round = await sweeper.SweepAsync(options.Grace, options.Batch, ct);
                }
                catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
                {
                    LogFailed(logger, ex.Message);
                    break;
                }
                if (round.Held)
                {
                    LogHeld(logger);
                    return round;
                }
                total = Add(total, round);
                if (round.Examined < options.Batch) break;
            }
            metrics.Count(total);
            if (total.Deleted > 0 || total.Failed > 0)
            {
                LogDeleted(logger, total.Deleted, total.Files, total.Rows, total.Bytes, total.Referenced, total.Postponed, total.Failed, clock.ElapsedMilliseconds);
            }
            return total;
        }
        finally
        {
            _one.Release();
        }
    }

    private static BlobSweepRound Add(BlobSweepRound a, BlobSweepRound b) => new(false, a.Deleted + b.Deleted, a.Files + b.Files, a.Rows + b.Rows,
        a.Bytes + b.Bytes, a.Referenced + b.Referenced, a.Postponed + b.Postponed, a.Failed + b.Failed);

    public override void Dispose()
    {
        _one.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 12001, EventName = "storage.bodies_deleted", Level = LogLevel.Information,
        Message = "Deleted {Deleted} bodies of deleted mail ({Files} files, {Rows} database rows), {Bytes} bytes freed; {Referenced} named by mail again and kept, {Postponed} postponed (the same content was just stored again), {Failed} failed; {Ms} ms")]
    private static partial void LogDeleted(ILogger logger, int deleted, int files, int rows, long bytes, int referenced, int postponed, int failed, long ms);

    [LoggerMessage(EventId = 12002, EventName = "storage.orphans_released", Level = LogLevel.Information,
        Message = "{Released} stored bodies are named by no message or queue entry; they will be deleted after the grace period")]
    private static partial void LogOrphans(ILogger logger, int released);

    [LoggerMessage(EventId = 12003, EventName = "storage.sweep_held", Level = LogLevel.Debug,
        Message = "No bodies deleted this round: a backup or restore holds them")]
    private static partial void LogHeld(ILogger logger);

    [LoggerMessage(EventId = 12004, EventName = "storage.sweep_failed", Level = LogLevel.Warning,
        Message = "Deleting bodies of deleted mail failed this round ({Error}); the next round tries again")]
    private static partial void LogFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 12005, EventName = "storage.sweep_off", Level = LogLevel.Warning,
        Message = "storage.sweepIntervalSeconds is 0: bodies of deleted mail are kept on disk")]
    private static partial void LogOff(ILogger logger);
}
