using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.Support;

namespace Vigil.Storage.Tests;

/// <summary>The database's own connection pool: connections come back open with their prepared
/// statements, never in a state the next caller would trip over, and never hold the WAL.</summary>
public sealed class ConnectionPoolTests : TempDatabase
{
    /// <summary>Memory SQLite holds for prepared statements on the connection (SQLITE_DBSTATUS_STMT_USED).</summary>
    private static int StatementMemory(SqliteConnection c)
    {
        SQLitePCL.raw.sqlite3_db_status(c.Handle, 3, out var current, out _, 0);
        return current;
    }

    [Fact]
    public void A_connection_comes_back_open_with_its_prepared_statements()
    {
        const string Sql = "SELECT count(*) FROM schema_migrations WHERE applied > $v";
        var first = Db.Open();
        var before = StatementMemory(first);
        Assert.Equal(1, first.Query(Sql, r => 1, ("$v", 0)).Count);
        first.Dispose();
        using var again = Db.Open();
        Assert.Same(first, again);
        Assert.Equal(System.Data.ConnectionState.Open, again.State);
        Assert.True(StatementMemory(again) > before, "the statement was finalized: every query would be parsed again");
        Assert.NotNull(((ConnectionPool.PooledConnection)again).TakeStatement(Sql));
    }

    [Fact]
    public void A_connection_left_in_a_transaction_is_closed_not_reused()
    {
        var first = Db.Open();
        first.Execute(null, "BEGIN");
        first.Dispose();
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
        using var next = Db.Open();
        Assert.NotSame(first, next);
    }

    [Fact]
    public void A_connection_closed_by_hand_is_not_reused()
    {
        var first = Db.Open();
        first.Close();
        first.Open(); // a new native connection, without the pool's pragmas
        first.Dispose();
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
        using var next = Db.Open();
        Assert.NotSame(first, next);
        Assert.Equal(1, next.ScalarLong(null, "PRAGMA foreign_keys"));
    }

    [Fact]
    public void Disposed_twice_it_is_handed_out_once()
    {
        var c = Db.Open();
        c.Dispose();
        c.Dispose();
        using var a = Db.Open();
        using var b = Db.Open();
        Assert.NotSame(a, b);
    }

    [Fact]
    public void A_pooled_connection_holds_no_snapshot_that_would_stop_a_checkpoint()
    {
        using (var reader = Db.Open())
        {
            reader.Query("SELECT id FROM schema_migrations", r => r.GetString(0));
        }
        using var writer = Db.Open();
        writer.Execute(null, "CREATE TABLE scratch (x)");
        writer.Execute(null, "INSERT INTO scratch VALUES (1)");
        // busy = 1 if any connection still had a read transaction open on an older snapshot.
        var (busy, log, done) = writer.Query("PRAGMA wal_checkpoint(TRUNCATE)", r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2))).Single();
        Assert.Equal(0, busy);
        Assert.Equal(log, done);
    }

    [Fact]
    public async Task Closing_the_database_closes_the_idle_connections()
    {
        var c = Db.Open();
        c.Dispose();
        Assert.Equal(System.Data.ConnectionState.Open, c.State);
        await Db.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, c.State);
        Db = SqliteDatabase.Open(DatabasePath);
    }
}
