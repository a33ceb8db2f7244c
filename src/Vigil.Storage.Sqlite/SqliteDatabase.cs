using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite.Migrations;

namespace Vigil.Storage.Sqlite;

/// <summary>The metadata database: WAL mode so readers never wait for the writer, durable writes
/// reported done only once the WAL is flushed (<see cref="WalFlusher"/>), foreign keys on,
/// forward migrations at open.</summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly ConnectionPool _pool;

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
        _pool = new ConnectionPool(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false, // ConnectionPool keeps connections open, with their statements
            DefaultTimeout = 30,
        }.ToString(), Configure);
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

    /// <summary>A connection from the pool (<see cref="ConnectionPool"/>); disposing it gives it back.</summary>
    public SqliteConnection Open() => _pool.Open();

    private static void Configure(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        cmd.ExecuteNonQuery();
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
        _pool.Dispose(); // connections given back from now on are closed
        await Writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
