using Microsoft.Data.Sqlite;
using Vigil.Core.Indexing;

namespace Vigil.Storage.Sqlite;

/// <summary>Message summaries and full-text rows, one per blob: the same content delivered to many
/// accounts or copied between mailboxes is parsed and indexed once. Rows are only ever reached
/// through an account's own message rows, so sharing them never lets one account see another's mail.
/// A new summary's text is not indexed here but queued in <c>fts_pending</c> (same transaction):
/// <see cref="SqliteTextIndex"/> fills <c>message_text</c> later, off the delivery path.</summary>
internal static class SqliteSummaries
{
    /// <summary>Stores the summary of a blob unless it is already there, and queues its text for
    /// the full-text index. True when it was new (and so queued).</summary>
    public static bool Insert(SqliteConnection c, SqliteTransaction tx, string blobHex, MessageSummary summary)
    {
        var id = c.QueryTx(tx,
            "INSERT INTO message_summaries (blob_id, summary, sent_date) VALUES ($b, $s, $d) ON CONFLICT(blob_id) DO NOTHING RETURNING id",
            r => r.GetInt64(0),
            ("$b", blobHex), ("$s", SummaryJson.Serialize(summary)), ("$d", summary.SentDate?.ToUnixTimeMilliseconds())).FirstOrDefault();
        if (id == 0) return false;
        c.Execute(tx, "INSERT INTO fts_pending (summary_id, queued) VALUES ($id, $t)", ("$id", id), ("$t", SqlExtensions.Now()));
        return true;
    }

    /// <summary>Drops the summaries of blobs no message references any more, with their full-text
    /// row, or with their queue entry when the text was never indexed (then there is no text row).</summary>
    public static void RemoveUnreferenced(SqliteConnection c, SqliteTransaction tx, IEnumerable<string> blobHexes)
    {
        foreach (var blob in blobHexes.Distinct())
        {
            var ids = c.QueryTx(tx,
                "SELECT id FROM message_summaries WHERE blob_id = $b AND NOT EXISTS (SELECT 1 FROM messages WHERE blob_id = $b)",
                r => r.GetInt64(0), ("$b", blob));
            foreach (var id in ids)
            {
                // The queue entry first: deleting the summary would cascade to it, and then the
                // text row could no longer be told apart from one never written.
                var queued = c.Execute(tx, "DELETE FROM fts_pending WHERE summary_id = $id", ("$id", id)) > 0;
                if (!queued) c.Execute(tx, "DELETE FROM message_text WHERE rowid = $id", ("$id", id));
                c.Execute(tx, "DELETE FROM message_summaries WHERE id = $id", ("$id", id));
            }
        }
    }

    /// <summary>An FTS5 query for a literal substring: one quoted phrase, quotes doubled.</summary>
    public static string Phrase(string text, bool bodyOnly)
    {
        var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return bodyOnly ? "body : " + phrase : phrase;
    }
}
