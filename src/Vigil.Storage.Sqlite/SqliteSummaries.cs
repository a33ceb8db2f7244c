using Microsoft.Data.Sqlite;
using Vigil.Core.Indexing;

namespace Vigil.Storage.Sqlite;

/// <summary>Message summaries and full-text rows, one per blob: the same content delivered to many
/// accounts or copied between mailboxes is parsed and indexed once. Rows are only ever reached
/// through an account's own message rows, so sharing them never lets one account see another's mail.</summary>
internal static class SqliteSummaries
{
    /// <summary>Stores the summary and text of a blob unless it is already there.</summary>
    public static void Insert(SqliteConnection c, SqliteTransaction tx, string blobHex, IndexedMessage index)
    {
        var id = c.QueryTx(tx,
            "INSERT INTO message_summaries (blob_id, summary, sent_date) VALUES ($b, $s, $d) ON CONFLICT(blob_id) DO NOTHING RETURNING id",
            r => r.GetInt64(0),
            ("$b", blobHex), ("$s", SummaryJson.Serialize(index.Summary)), ("$d", index.Summary.SentDate?.ToUnixTimeMilliseconds())).FirstOrDefault();
        if (id == 0) return;
        c.Execute(tx, "INSERT INTO message_text (rowid, headers, body) VALUES ($id, $h, $t)", ("$id", id), ("$h", index.HeaderText), ("$t", index.BodyText));
    }

    /// <summary>Drops the summaries of blobs no message references any more.</summary>
    public static void RemoveUnreferenced(SqliteConnection c, SqliteTransaction tx, IEnumerable<string> blobHexes)
    {
        foreach (var blob in blobHexes.Distinct())
        {
            var ids = c.QueryTx(tx,
                "DELETE FROM message_summaries WHERE blob_id = $b AND NOT EXISTS (SELECT 1 FROM messages WHERE blob_id = $b) RETURNING id",
                r => r.GetInt64(0), ("$b", blob));
            foreach (var id in ids) c.Execute(tx, "DELETE FROM message_text WHERE rowid = $id", ("$id", id));
        }
    }

    /// <summary>An FTS5 query for a literal substring: one quoted phrase, quotes doubled.</summary>
    public static string Phrase(string text, bool bodyOnly)
    {
        var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return bodyOnly ? "body : " + phrase : phrase;
    }
}
