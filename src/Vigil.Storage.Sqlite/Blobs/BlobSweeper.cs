using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>What one sweep round did. <see cref="Held"/>: a backup or restore held the guard, so
/// nothing was looked at.</summary>
public sealed record BlobSweepRound(bool Held, int Deleted, int Files, int Rows, long Bytes, int Referenced, int Postponed, int Failed)
{
    public static readonly BlobSweepRound Skipped = new(true, 0, 0, 0, 0, 0, 0, 0);

    public int Examined => Deleted + Referenced + Postponed + Failed;
}

/// <summary>Deletes message bodies nobody references any more: those named by a row of
/// <c>blob_release</c> (written by triggers in the transaction that removed the last row naming
/// them, migration 0011) for longer than the grace period. For each, under its claim lock and
/// inside one writer transaction, so no write of this process can slip in between: skip it when a
/// writer committed the same content within the grace period (<see cref="BlobClaims"/>), drop the
/// release when a message or queue entry names the body again, otherwise delete the body (the row
/// of <c>blob_inline</c>, the file, its summary and full-text row) and then the release. A crash
/// before the commit leaves the release, and the next round finishes the job (deleting what is
/// already gone is a no-op); nothing named by a committed row is ever deleted, and the removals a
/// round acts on are flushed to disk before it starts.
/// The grace period is what a session that read a message row just before another session
/// expunged it has to read the body (IMAP FETCH, POP3 RETR).</summary>
public sealed class BlobSweeper(SqliteDatabase db, InlineBlobStore blobs, RecentBlobDeletions swept, BlobSweepLock guard, TimeProvider time)
{
    private const int PageSize = 512;
    private static readonly string UnreferencedSql = $"SELECT {Unreferenced("$b")}";

    private BlobClaims Claims => blobs.Files.Claims;

    /// <summary>One round: releases older than <paramref name="grace"/>, at most
    /// <paramref name="limit"/> of them, oldest first.</summary>
    public async Task<BlobSweepRound> SweepAsync(TimeSpan grace, int limit, CancellationToken ct)
    {
        using var exclusive = guard.TryExclusive();
        if (exclusive is null) return BlobSweepRound.Skipped;
        // Every removal this round acts on must be on disk before a body goes: expunges are
        // reported at their commit and made durable by the next WAL flush, and a power cut that
        // forgot one would bring its message back without its body. A durable no-op completes
        // only after a flush that covers every earlier commit.
        await db.Writer.ExecuteAsync((_, _) => 0, ct, durable: true);
        var now = time.GetUtcNow();
        var since = now - grace;
        Claims.KeepFor = grace;
        var round = await db.Writer.ExecuteAsync((c, tx) => Sweep(c, tx, now, since, limit), ct, durable: false);
        Claims.Prune(since);
        return round;
    }

    private BlobSweepRound Sweep(SqliteConnection c, SqliteTransaction tx, DateTimeOffset now, DateTimeOffset since, int limit)
    {
        int deleted = 0, files = 0, rows = 0, referenced = 0, postponed = 0, failed = 0;
        long bytes = 0;
        var due = c.QueryTx(tx, "SELECT id FROM blob_release WHERE released <= $t ORDER BY released LIMIT $n",
            r => r.GetString(0), ("$t", since.ToUnixTimeMilliseconds()), ("$n", limit));
        foreach (var hex in due)
        {
            if (!BlobId.TryParse(hex, out var id))
            {
                Forget(c, tx, hex); // never a path from a malformed id
                continue;
            }
            var unclaimed = Claims.UnlessClaimedSince(hex, since, () =>
            {
                if (c.ScalarLong(tx, UnreferencedSql, ("$b", hex)) == 0)
                {
                    Forget(c, tx, hex);
                    referenced++;
                    return;
                }
                try
                {
                    // Told first: the watch may see the file go before this transaction commits.
                    swept.Record(hex);
                    var file = DeleteFile(id);
                    var row = c.QueryTx(tx, "DELETE FROM blob_inline WHERE id = $id RETURNING length(data)", r => (long?)r.GetInt64(0), ("$id", hex)).FirstOrDefault();
                    blobs.Evict(id);
                    SqliteSummaries.RemoveUnreferenced(c, tx, [hex]);
                    Forget(c, tx, hex);
                    deleted++;
                    if (file is { } f) { files++; bytes += f; }
                    if (row is { } n) { rows++; bytes += n; }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Postpone(c, tx, hex, now); // try again after another grace period, behind the others
                    failed++;
                }
            });
            if (!unclaimed)
            {
                Postpone(c, tx, hex, now);
                postponed++;
            }
        }
        if (deleted > 0)
        {
            AddToMeta(c, tx, "blob_sweep.deleted", deleted);
            AddToMeta(c, tx, "blob_sweep.bytes", bytes);
        }
        c.Execute(tx, "INSERT INTO meta (key, value) VALUES ('blob_sweep.last', $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            ("$v", now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new BlobSweepRound(false, deleted, files, rows, bytes, referenced, postponed, failed);
    }

    /// <summary>Size of the deleted file, or null when there was none.</summary>
    private long? DeleteFile(BlobId id)
    {
        var info = new FileInfo(blobs.Files.PathOf(id));
        try
        {
            if (!info.Exists) return null;
            var size = info.Length;
            info.Delete();
            return size;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void Forget(SqliteConnection c, SqliteTransaction tx, string hex) =>
        c.Execute(tx, "DELETE FROM blob_release WHERE id = $id", ("$id", hex));

    private static void Postpone(SqliteConnection c, SqliteTransaction tx, string hex, DateTimeOffset now) =>
        c.Execute(tx, "UPDATE blob_release SET released = $t WHERE id = $id", ("$t", now.ToUnixTimeMilliseconds()), ("$id", hex));

    private static void AddToMeta(SqliteConnection c, SqliteTransaction tx, string key, long n) =>
        c.Execute(tx, "INSERT INTO meta (key, value) VALUES ($k, $n) ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + $n",
            ("$k", key), ("$n", n));

    /// <summary>Releases every stored body nothing references and no release names yet: rows of
    /// <c>blob_inline</c>, summaries (and so full-text rows) of such bodies, and blob files. Run
    /// at start-up, before the first round: it releases what was deleted before this store
    /// collected garbage, and bodies a crash left between a blob commit and its row. Only
    /// releases; the rounds re-check everything before they delete. Returns how many it released.</summary>
    public async Task<int> ReleaseOrphansAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var released = await db.Writer.ExecuteAsync((c, tx) =>
            c.Execute(tx, $"INSERT OR IGNORE INTO blob_release (id, released) SELECT b.id, $t FROM blob_inline b WHERE {Unreferenced("b.id")}", ("$t", now)) +
            c.Execute(tx, $"INSERT OR IGNORE INTO blob_release (id, released) SELECT s.blob_id, $t FROM message_summaries s WHERE {Unreferenced("s.blob_id")}", ("$t", now)),
            ct, durable: false);
        var page = new List<string>(PageSize);
        foreach (var hex in FileIds())
        {
            page.Add(hex);
            if (page.Count < PageSize) continue;
            released += await ReleaseFilesAsync(page, now, ct);
            page.Clear();
        }
        if (page.Count > 0) released += await ReleaseFilesAsync(page, now, ct);
        return released;
    }

    private Task<int> ReleaseFilesAsync(List<string> hexes, long now, CancellationToken ct)
    {
        var ids = System.Text.Json.JsonSerializer.Serialize(hexes);
        return db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            $"INSERT OR IGNORE INTO blob_release (id, released) SELECT j.value, $t FROM json_each($ids) j WHERE {Unreferenced("j.value")}",
            ("$ids", ids), ("$t", now)), ct, durable: false);
    }

    /// <summary>A condition true when no message or queue entry names the body in <paramref name="column"/> (both indexed on blob_id).</summary>
    private static string Unreferenced(string column) =>
        $"NOT EXISTS (SELECT 1 FROM messages m WHERE m.blob_id = {column}) AND NOT EXISTS (SELECT 1 FROM queue_messages q WHERE q.blob_id = {column})";

    /// <summary>Names of committed blob files (blobs/ab/&lt;64 hex&gt;); anything else is not ours to release.</summary>
    private IEnumerable<string> FileIds()
    {
        foreach (var folder in Directory.EnumerateDirectories(blobs.Files.Root))
        {
            if (Path.GetFileName(folder) == "tmp") continue;
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                if (BlobId.TryParse(name, out var id) && id.Hex == name && name.StartsWith(Path.GetFileName(folder), StringComparison.Ordinal)) yield return name;
            }
        }
    }
}
