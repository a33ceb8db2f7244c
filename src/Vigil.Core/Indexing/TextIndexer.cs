using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Indexing;

/// <summary>Fills the full-text index from its queue (<see cref="ITextIndexStore"/>): reads each
/// queued blob, extracts its text and hands it to the store in bounded writes. Used by the
/// background indexer and, for one mailbox, by every full-text search before it queries
/// (<see cref="TextSearch"/>), so a search never depends on how far the background indexer got.
/// Two indexers may meet on the same entry; the store keeps the first and skips the second.</summary>
public sealed partial class TextIndexer(ITextIndexStore store, IBlobStore blobs, ILogger<TextIndexer> logger)
{
    /// <summary>Characters of text held before they are written: bounds memory (about 1 MB of
    /// UTF-16 text), and the time one write holds the single writer (FTS5 trigram insert costs
    /// about 19 ms of CPU per 256 KB of text on the benchmark machine, docs/benchmarks.md).</summary>
    public const int FlushChars = 512 * 1024;

    /// <summary>Indexes every queued message of the mailbox; returns how many this call indexed.</summary>
    public async Task<int> CatchUpAsync(long accountId, long mailboxId, CancellationToken ct)
    {
        var pending = await store.ListPendingAsync(accountId, mailboxId, ct);
        if (pending.Count == 0) return 0;
        var started = Stopwatch.GetTimestamp();
        var indexed = await IndexAsync(pending, ct);
        LogSearchCatchUp(logger, pending.Count, mailboxId, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return indexed;
    }

    /// <summary>Indexes up to <paramref name="limit"/> of the oldest queued messages of the store.
    /// Returns how many were queued when it looked (0: the queue is empty).</summary>
    public async Task<int> IndexOldestAsync(int limit, CancellationToken ct)
    {
        var pending = await store.ListPendingAsync(limit, ct);
        if (pending.Count > 0) await IndexAsync(pending, ct);
        return pending.Count;
    }

    private async Task<int> IndexAsync(IReadOnlyList<PendingText> pending, CancellationToken ct)
    {
        var buffer = new List<IndexedText>();
        long chars = 0;
        var saved = 0;
        foreach (var p in pending)
        {
            ct.ThrowIfCancellationRequested();
            var text = Extract(p);
            buffer.Add(text);
            chars += text.Headers.Length + text.Body.Length;
            if (chars < FlushChars) continue;
            saved += await store.SaveAsync(buffer, ct);
            buffer.Clear();
            chars = 0;
        }
        if (buffer.Count > 0) saved += await store.SaveAsync(buffer, ct);
        return saved;
    }

    /// <summary>The text of a queued blob, read from the blob itself. A blob that is missing or
    /// cannot be read is indexed as empty (logged), so one bad entry never blocks the queue.</summary>
    private IndexedText Extract(PendingText p)
    {
        try
        {
            using var stream = blobs.OpenRead(p.Blob);
            if (stream is null)
            {
                LogUnreadable(logger, p.Blob.Hex, "missing");
                return new IndexedText(p.Id, "", "");
            }
            var text = MessageIndexer.ExtractText(stream);
            return new IndexedText(p.Id, text.Headers, text.Body);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, p.Blob.Hex, ex.Message);
            return new IndexedText(p.Id, "", "");
        }
    }

    [LoggerMessage(EventId = 2103, EventName = "index.search-catchup", Level = LogLevel.Debug,
        Message = "Indexed {Count} queued message(s) of mailbox {MailboxId} before a search, in {Milliseconds} ms")]
    private static partial void LogSearchCatchUp(ILogger logger, int count, long mailboxId, long milliseconds);

    [LoggerMessage(EventId = 2104, EventName = "index.blob-unreadable", Level = LogLevel.Warning,
        Message = "Blob {Blob} could not be read for the full-text index ({Reason}); indexed as empty")]
    private static partial void LogUnreadable(ILogger logger, string blob, string reason);
}
