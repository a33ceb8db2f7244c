using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>The blob store Vigil runs on: bodies up to <see cref="InlineLimit"/> bytes are kept in
/// the metadata database, larger ones as files in <see cref="Files"/>.
/// Why: a file blob costs three flushes that follow one another before the 250 (the file, the
/// directory entry of its rename, then the WAL commit of the message row); each is an ext4 journal
/// commit, and with 20 SMTP sessions strace measured 8 ms (p50) for the file's alone. A small body
/// is written into the WAL by the same transaction as its message row, or an earlier one, and is
/// made durable by that row's commit: one flush, shared by every delivery of the group commit. Readers look for a
/// pending body, then a row, then a file, so files written before this store existed (and
/// restores, which write files) read the same; a row first, because most bodies are small and a
/// missing file costs a failed open and an exception. Content addressing and deduplication are unchanged.</summary>
public sealed class InlineBlobStore(FileBlobStore files, SqliteDatabase db, int inlineLimit = InlineBlobStore.DefaultInlineLimit) : IBlobStore
{
    /// <summary>32 KB: most mail by count is smaller; larger bodies gain little (their bytes, not the
    /// flushes, dominate) and would grow the database that every restore point copies.</summary>
    public const int DefaultInlineLimit = 32 * 1024;

    /// <summary>4 MB: the newest few hundred small messages, the ones clients read again.</summary>
    private readonly InlineBodyCache _cache = new(4 * 1024 * 1024);

    public FileBlobStore Files => files;

    public int InlineLimit => inlineLimit;

    public IBlobWriter CreateWriter() => new InlineFirstBlobWriter(this);

    public Stream? OpenRead(BlobId id) => OpenInline(id) ?? files.OpenRead(id);

    /// <summary>A body over the inline limit is a file, unless it was stored while the limit was
    /// higher: the file first, then the row. Without the size every file body cost a query that
    /// found no row (under the IMAP load of bench/, 2 of the 5.5 body reads per round).</summary>
    public Stream? OpenRead(BlobId id, long size)
    {
        if (size <= inlineLimit) return OpenRead(id);
        return files.OpenRead(id) ?? OpenInline(id);
    }

    private Stream? OpenInline(BlobId id) => ReadInline(id) is { } data ? new MemoryStream(data, writable: false) : null;

    public bool Exists(BlobId id) => InlineLength(id) is not null || files.Exists(id);

    public long GetSize(BlobId id) =>
        InlineLength(id) ?? (files.Exists(id) ? files.GetSize(id) : throw new FileNotFoundException($"Blob {id} does not exist."));

    private byte[]? ReadInline(BlobId id)
    {
        if (db.PendingInlineBlobs.Get(id) is { } pending) return pending;
        if (_cache.Get(id.Hex) is { } cached) return cached;
        using var c = db.Open();
        var data = c.Query("SELECT data FROM blob_inline WHERE id = $id", r => (byte[])r.GetValue(0), ("$id", id.Hex)).FirstOrDefault();
        if (data is not null) _cache.Add(id.Hex, data);
        return data;
    }

    private long? InlineLength(BlobId id)
    {
        if (db.PendingInlineBlobs.Get(id) is { } pending) return pending.Length;
        if (_cache.Get(id.Hex) is { } cached) return cached.Length;
        using var c = db.Open();
        return c.Query("SELECT length(data) FROM blob_inline WHERE id = $id", r => (long?)r.GetInt64(0), ("$id", id.Hex)).FirstOrDefault();
    }

    /// <summary>Hands a small body to the writer's next transaction (see <see cref="PendingInlineBlobs"/>).
    /// Not durable on its own: the caller's next step is the durable commit of the row that
    /// references the blob, queued after this, and that commit's fsync covers both. Should the
    /// process die before it, nothing referenced the blob and no 250 was sent.</summary>
    internal void PutInline(BlobId id, byte[] data)
    {
        // Before the hand-over: should the sweeper delete a row of this content after the stamp,
        // the writer's INSERT OR IGNORE finds none and writes the body again (BlobClaims).
        files.Claims.Claim(id);
        db.PendingInlineBlobs.Add(id, data);
    }

    /// <summary>Drops a body the sweeper deleted from the cache of recent reads, so that
    /// <see cref="Exists"/> and readers no longer see it.</summary>
    internal void Evict(BlobId id) => _cache.Remove(id.Hex);
}
