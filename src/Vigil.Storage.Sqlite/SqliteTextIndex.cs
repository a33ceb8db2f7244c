using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

/// <summary>The full-text queue (<c>fts_pending</c>, one entry per summary whose text is not yet in
/// <c>message_text</c>) and the writes that empty it. The text goes in through the group-commit
/// writer like every other write, without an fsync of its own: if a crash loses the commit, it
/// loses the dequeue with it, and the entry is indexed again.</summary>
public sealed class SqliteTextIndex(SqliteDatabase db) : ITextIndexStore
{
    private const string PendingColumns = "SELECT p.summary_id, s.blob_id FROM fts_pending p JOIN message_summaries s ON s.id = p.summary_id";

    public long QueuedSignal => db.TextQueued;

    public Task<IReadOnlyList<PendingText>> ListPendingAsync(int limit, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<PendingText>>(c.Query($"{PendingColumns} ORDER BY p.summary_id LIMIT $n", Read, ("$n", limit)));
    }

    public Task<IReadOnlyList<PendingText>> ListPendingAsync(long accountId, long mailboxId, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<PendingText>>(c.Query(
            $"{PendingColumns} WHERE EXISTS (SELECT 1 FROM messages m WHERE m.blob_id = s.blob_id AND m.account_id = $a AND m.mailbox_id = $m) ORDER BY p.summary_id",
            Read, ("$a", accountId), ("$m", mailboxId)));
    }

    public Task<int> SaveAsync(IReadOnlyList<IndexedText> texts, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var saved = 0;
            using var dequeue = c.Command("DELETE FROM fts_pending WHERE summary_id = $id", tx, ("$id", 0L));
            using var insert = c.Command("INSERT INTO message_text (rowid, headers, body) VALUES ($id, $h, $t)", tx, ("$id", 0L), ("$h", ""), ("$t", ""));
            foreach (var t in texts)
            {
                // Only what is still queued: another indexer may have been first, or the last
                // message of the content may have been expunged meanwhile (entry and summary gone).
                dequeue.Parameters["$id"].Value = t.Id;
                if (dequeue.ExecuteNonQuery() == 0) continue;
                insert.Parameters["$id"].Value = t.Id;
                insert.Parameters["$h"].Value = t.Headers;
                insert.Parameters["$t"].Value = t.Body;
                insert.ExecuteNonQuery();
                saved++;
            }
            return saved;
        }, ct, durable: false);

    public Task<long> CountPendingAsync(CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.ScalarLong(null, "SELECT count(*) FROM fts_pending"));
    }

    private static PendingText Read(Microsoft.Data.Sqlite.SqliteDataReader r) => new(r.GetInt64(0), BlobId.Parse(r.GetString(1)));
}
