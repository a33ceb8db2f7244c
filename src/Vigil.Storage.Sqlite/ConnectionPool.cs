using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>Open connections kept for reuse together with their prepared statements.
/// Microsoft.Data.Sqlite's own pool keeps the native connection but finalizes every statement
/// when a connection is closed, so each query was parsed and planned again: under IMAP load
/// <c>sqlite3_prepare_v2</c> was 9 % of the server's CPU. Here a disposed connection stays open
/// and goes back on a stack (the most recently used first, its page cache warm), and
/// <see cref="SqlExtensions"/> keeps one prepared command per SQL text on it.</summary>
internal sealed class ConnectionPool(string connectionString, Action<SqliteConnection> configure) : IDisposable
{
    /// <summary>Enough for the thread pool's readers; more are closed when they come back.</summary>
    private const int MaxIdle = 32;

    /// <summary>A connection is closed for good after this many leases, so anything a caller left
    /// behind on it (Microsoft.Data.Sqlite tracks every command made from it) cannot pile up.</summary>
    private const int MaxLeases = 20_000;

    private readonly ConcurrentStack<PooledConnection> _idle = new();
    private volatile bool _closed;

    public SqliteConnection Open()
    {
        while (_idle.TryPop(out var idle))
        {
            if (idle.Lease()) return idle;
        }
        var c = new PooledConnection(connectionString, this);
        c.Open();
        configure(c);
        c.Lease();
        return c;
    }

    /// <summary>False when the connection must be closed instead: the pool is closed, the caller
    /// left a transaction open, or the connection has served its leases.</summary>
    private bool Return(PooledConnection c)
    {
        if (_closed || c.Leases >= MaxLeases || c.State != System.Data.ConnectionState.Open || _idle.Count >= MaxIdle) return false;
        if (SQLitePCL.raw.sqlite3_get_autocommit(c.Handle) == 0) return false; // a transaction still open
        _idle.Push(c);
        if (_closed) CloseIdle(); // Dispose ran between the check and the push
        return true;
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var c)) c.CloseForGood();
    }

    public void Dispose()
    {
        _closed = true;
        CloseIdle();
    }

    /// <summary>A connection whose Dispose hands it back to the pool.</summary>
    internal sealed class PooledConnection(string connectionString, ConnectionPool pool) : SqliteConnection(connectionString)
    {
        /// <summary>Prepared commands by SQL text; a command in use is taken out, so a nested query
        /// with the same text gets a fresh one.</summary>
        private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
        private const int MaxStatements = 128;
        private int _leased;
        private bool _closing;

        public int Leases { get; private set; }

        public bool Lease()
        {
            if (Interlocked.Exchange(ref _leased, 1) != 0) return false;
            Leases++;
            return true;
        }

        public SqliteCommand? TakeStatement(string sql) => _statements.Remove(sql, out var cmd) ? cmd : null;

        /// <summary>False when the cache is full; the caller disposes the command.</summary>
        public bool KeepStatement(string sql, SqliteCommand cmd) => _statements.Count < MaxStatements && _statements.TryAdd(sql, cmd);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closing)
            {
                // A second Dispose right after the first is ignored; a connection must still be
                // disposed once only, since after it is handed out again a late second Dispose
                // would give the next holder's connection away.
                if (Interlocked.Exchange(ref _leased, 0) == 0) return;
                if (pool.Return(this)) return;
            }
            _closing = true;
            if (disposing)
            {
                foreach (var cmd in _statements.Values) cmd.Dispose();
                _statements.Clear();
            }
            base.Dispose(disposing);
        }

        public void CloseForGood()
        {
            _closing = true;
            Dispose();
        }

        /// <summary>Closed by hand, a connection is not given back: Microsoft.Data.Sqlite has
        /// disposed its commands, and if opened again it would lack the pool's pragmas.</summary>
        public override void Close()
        {
            _closing = true;
            base.Close();
        }
    }
}
