using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite.Migrations;

namespace Vigil.Storage.Sqlite;

/// <summary>The metadata database: WAL mode so readers never wait for the writer, durable writes
/// reported done only once the WAL is flushed (<see cref="WalFlusher"/>), foreign keys on,
/// forward migrations at open.</summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;

    public string Path { get; }

    /// <summary>All writes of this process go through one connection that batches concurrent work
    /// into shared commits.</summary>
    internal SqliteWriter Writer { get; }

    private long _textQueued;

    /// <summary>Counts summaries this process queued for the full-text index (see <see cref="SqliteTextIndex.QueuedSignal"/>).</summary>
    internal long TextQueued => Interlocked.Read(ref _textQueued);

    internal void NoteTextQueued() => Interlocked.Increment(ref _textQueued);

    /// <summary>Small blob bodies the writer adds to its next transaction.</summary>
    internal Blobs.PendingInlineBlobs PendingInlineBlobs { get; } = new();

    private SqliteDatabase(string path, Action<string>? walFsync)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Writer = new SqliteWriter(Open(), PendingInlineBlobs, new WalFlusher(path + "-wal", walFsync));
    }

    public static SqliteDatabase Open(string path) => Open(path, null);

    /// <summary>As <see cref="Open(string)"/>, with the WAL flush replaced (tests hold it back).</summary>
    internal static SqliteDatabase Open(string path, Action<string>? walFsync)
    {
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using var wal = c.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
            SchemaMigrator.Migrate(c);
        }
        return new SqliteDatabase(path, walFsync);
    }

    /// <summary>Native connections that have had their pragmas set. The pool hands the same native
    /// connection out again, with its pragmas still in force; setting them on every open was a
    /// parsed and executed statement per read (1.5 % of the server's CPU under IMAP load).</summary>
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    /// <summary>Opens a pooled connection with the per-connection pragmas set.</summary>
    public SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        var handle = c.Handle!;
        if (_configured.TryGetValue(handle, out _)) return c;
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        cmd.ExecuteNonQuery();
        _configured.AddOrUpdate(handle, handle);
        return c;
    }

    public int SchemaVersion()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM schema_migrations";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
