using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>Small helpers that keep the store classes about SQL, not ADO.NET plumbing.</summary>
internal static class SqlExtensions
{
    public static SqliteCommand Command(this SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        Bind(cmd, args);
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
    }

    public static List<T> Query<T>(this SqliteConnection c, string sql, Func<SqliteDataReader, T> map, params (string, object?)[] args) =>
        QueryTx(c, null, sql, map, args);

    public static List<T> QueryTx<T>(this SqliteConnection c, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map, params (string, object?)[] args) =>
        WithStatement(c, tx, sql, args, cmd =>
        {
            using var r = cmd.ExecuteReader();
            var list = new List<T>();
            while (r.Read()) list.Add(map(r));
            return list;
        });

    public static int Execute(this SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args) =>
        WithStatement(c, tx, sql, args, static cmd => cmd.ExecuteNonQuery());

    public static long ScalarLong(this SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args) =>
        WithStatement(c, tx, sql, args, static cmd => Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));

    /// <summary>Runs <paramref name="run"/> on the connection's prepared command for the SQL, then
    /// gives the command back for the next call with the same text.</summary>
    private static T WithStatement<T>(SqliteConnection c, SqliteTransaction? tx, string sql, (string, object?)[] args, Func<SqliteCommand, T> run)
    {
        var cmd = Rent(c, sql, tx, args);
        try
        {
            return run(cmd);
        }
        finally
        {
            GiveBack(c, sql, cmd);
        }
    }

    /// <summary>The connection's prepared command for <paramref name="sql"/> when it has one
    /// (<see cref="ConnectionPool"/>), with this call's transaction and arguments.</summary>
    private static SqliteCommand Rent(SqliteConnection c, string sql, SqliteTransaction? tx, (string Name, object? Value)[] args)
    {
        if (c is not ConnectionPool.PooledConnection pooled || pooled.TakeStatement(sql) is not { } cmd) return c.Command(sql, tx, args);
        cmd.Transaction = tx;
        cmd.Parameters.Clear();
        Bind(cmd, args);
        return cmd;
    }

    private static void GiveBack(SqliteConnection c, string sql, SqliteCommand cmd)
    {
        if (c is ConnectionPool.PooledConnection pooled && pooled.KeepStatement(sql, cmd)) return;
        cmd.Dispose();
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToTime(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
