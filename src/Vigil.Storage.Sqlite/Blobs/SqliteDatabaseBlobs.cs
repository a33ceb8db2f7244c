using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Reads the bodies of <c>blob_inline</c> (written by <see cref="InlineBlobStore"/>) for
/// the integrity re-hash. Keyset pages of <see cref="PageSize"/> rows, each its own short read:
/// one read spanning the whole table would pin its WAL snapshot for the length of the scan and keep
/// every checkpoint from completing, so the WAL would grow with all mail delivered meanwhile.
/// Within a page, rows are read one at a time, so at most one body is in memory.</summary>
public sealed class SqliteDatabaseBlobs(SqliteDatabase db) : IDatabaseBlobs
{
    public const int PageSize = 256;

    public string Location => System.IO.Path.GetFileName(db.Path) + ":blob_inline";

    public IEnumerable<DatabaseBlob> ReadAll(CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            var rows = 0;
            using (var c = db.Open())
            using (var cmd = c.Command("SELECT id, data FROM blob_inline WHERE id > $after ORDER BY id LIMIT $limit", null, ("$after", after), ("$limit", PageSize)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    ct.ThrowIfCancellationRequested();
                    rows++;
                    after = r.GetString(0);
                    using var content = r.GetStream(1);
                    yield return new DatabaseBlob(after, content);
                }
            }
            if (rows < PageSize) yield break;
        }
    }

    public IEnumerable<string> ReferencedElsewhere(CancellationToken ct) =>
        ReferencedElsewhere("messages", ct).Concat(ReferencedElsewhere("queue_messages", ct));

    /// <summary>Keyset pages over the table's blob_id index (messages_blob, queue_messages_blob).</summary>
    private IEnumerable<string> ReferencedElsewhere(string table, CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            List<(string Id, bool Inline)> page;
            using (var c = db.Open())
            {
                page = c.Query(
                    $"SELECT DISTINCT t.blob_id, EXISTS (SELECT 1 FROM blob_inline b WHERE b.id = t.blob_id) FROM {table} t " +
                    "WHERE t.blob_id > $after ORDER BY t.blob_id LIMIT $limit",
                    r => (r.GetString(0), r.GetBoolean(1)), ("$after", after), ("$limit", PageSize));
            }
            foreach (var (id, inline) in page)
            {
                if (!inline) yield return id;
            }
            if (page.Count < PageSize) yield break;
            after = page[^1].Id;
        }
    }
}
