using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Vigil.Core.Model;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Small bodies committed by <see cref="InlineBlobStore"/> and not yet in the database.
/// The single writer writes all of them at the start of its next transaction, so a body always
/// reaches the WAL in the same commit as, or an earlier commit than, any row that names it (that
/// row's operation was queued after the body was added here). One commit and one fsync then cover
/// both, with no round trip of its own through the writer. Readers find a body here until the
/// commit that wrote it has succeeded.</summary>
internal sealed class PendingInlineBlobs
{
    private readonly ConcurrentDictionary<string, byte[]> _items = new(StringComparer.Ordinal);

    public void Add(BlobId id, byte[] data) => _items.TryAdd(id.Hex, data);

    public byte[]? Get(BlobId id) => _items.TryGetValue(id.Hex, out var data) ? data : null;

    /// <summary>Inserts every pending body into <paramref name="tx"/>; returns their ids, to
    /// <see cref="Forget"/> once that transaction has committed.</summary>
    public List<string> WriteAll(SqliteConnection c, SqliteTransaction tx)
    {
        var written = new List<string>();
        if (_items.IsEmpty) return written;
        foreach (var (id, data) in _items)
        {
            c.Execute(tx, "INSERT OR IGNORE INTO blob_inline (id, data) VALUES ($id, $data)", ("$id", id), ("$data", data));
            written.Add(id);
        }
        return written;
    }

    public void Forget(List<string> ids)
    {
        foreach (var id in ids) _items.TryRemove(id, out _);
    }
}
