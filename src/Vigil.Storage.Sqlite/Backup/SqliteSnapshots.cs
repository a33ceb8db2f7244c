using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Sqlite.Backup;

/// <summary>Snapshots of the embedded database through SQLite's online backup API. The copy runs
/// in one <c>sqlite3_backup_step(-1)</c> on its own connection: it reads one WAL snapshot under a
/// read transaction, so the group-commit writer keeps committing into the WAL meanwhile and the copy
/// is exactly the state at the moment the read began (https://sqlite.org/backup.html).</summary>
public sealed class SqliteSnapshotter(SqliteDatabase db) : IStoreSnapshotter
{
    public Task<StoreSnapshot> TakeAsync(string destinationFile, CancellationToken ct) => Task.Run(() =>
    {
        if (File.Exists(destinationFile)) throw new IOException($"{destinationFile} already exists.");
        using (var source = db.Open())
        using (var destination = new SqliteConnection(SnapshotFile.ConnectionString(destinationFile, SqliteOpenMode.ReadWriteCreate)))
        {
            destination.Open();
            source.BackupDatabase(destination);
            // The copy inherits WAL mode; switch it to a rollback journal so the snapshot is one
            // self-contained file with no -wal/-shm companions.
            destination.Execute(null, "PRAGMA journal_mode=DELETE");
            // Small bodies kept in the database go to the target as blobs like every other body
            // (read through IBlobStore), so the snapshot does not carry them a second time: a
            // restore point's database stays the size of the metadata, not of the mail.
            destination.Execute(null, "DELETE FROM blob_inline");
            destination.Execute(null, "VACUUM");
        }
        ct.ThrowIfCancellationRequested();
        return SqliteSnapshotFiles.Instance.Describe(destinationFile);
    }, ct);
}

/// <summary>Reading, checking and restoring snapshot files of the embedded store.</summary>
public sealed class SqliteSnapshotFiles : ISnapshotFiles
{
    public static readonly SqliteSnapshotFiles Instance = new();

    public StoreSnapshot Describe(string snapshotFile)
    {
        using var c = SnapshotFile.OpenReadOnly(snapshotFile);
        return new StoreSnapshot(
            c.ScalarLong(null, "SELECT count(*) FROM accounts"),
            c.ScalarLong(null, "SELECT count(*) FROM mailboxes"),
            c.ScalarLong(null, "SELECT count(*) FROM messages"),
            c.ScalarLong(null, "SELECT coalesce(sum(size), 0) FROM messages"),
            SnapshotBlobReferences.Read(c));
    }

    public string? CheckIntegrity(string snapshotFile)
    {
        using var c = SnapshotFile.OpenReadOnly(snapshotFile);
        var integrity = c.Query("PRAGMA integrity_check", r => r.GetString(0));
        if (integrity is not ["ok"]) return "integrity_check: " + string.Join("; ", integrity.Take(5));
        var orphans = c.Query("PRAGMA foreign_key_check", r => r.GetString(0) + " row " + r.GetInt64(1));
        return orphans.Count == 0 ? null : "foreign_key_check: " + string.Join("; ", orphans.Take(5));
    }

    public Task<SnapshotStores> OpenAsync(string snapshotFile, CancellationToken ct) => Task.Run(() =>
    {
        var opened = SqliteDatabase.Open(snapshotFile);
        return new SnapshotStores(new SqliteDirectoryStore(opened), new SqliteMessageStore(opened), opened);
    }, ct);

    public IBlobImporter CreateImporter(string blobRoot) => new FileBlobImporter(new FileBlobStore(blobRoot));
}

/// <summary>Connections to snapshot files: unpooled, so the file is released (and can be moved or
/// deleted) as soon as the connection closes.</summary>
internal static class SnapshotFile
{
    public static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();

    public static SqliteConnection OpenReadOnly(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("Snapshot file not found.", path);
        var c = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
        c.Open();
        return c;
    }
}

/// <summary>Every blob a database references. By convention any column named <c>blob_id</c> holds
/// a blob reference (messages today; the outbound queue and later tables too), so a table added by
/// a later migration is covered without touching the backup.</summary>
internal static class SnapshotBlobReferences
{
    public static IReadOnlyList<BlobId> Read(SqliteConnection c)
    {
        var tables = c.Query(
            "SELECT m.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'blob_id' ORDER BY m.name",
            r => r.GetString(0));
        var ids = new HashSet<BlobId>();
        foreach (var table in tables)
        {
            // Table names come from the schema itself, never from input; quoting guards odd names.
            var quoted = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            foreach (var hex in c.Query($"SELECT DISTINCT blob_id FROM {quoted} WHERE blob_id IS NOT NULL", r => r.GetString(0)))
            {
                if (!BlobId.TryParse(hex, out var id)) throw new InvalidDataException($"Table {table} holds an invalid blob id '{hex}'.");
                ids.Add(id);
            }
        }
        return ids.OrderBy(i => i.Hex, StringComparer.Ordinal).ToList();
    }
}
