using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite.Migrations;

/// <summary>Applies the embedded <c>NNNN_name.sql</c> scripts in name order, each once, each in its
/// own transaction, and records them in <c>schema_migrations</c>. Only forward migrations exist.</summary>
internal static class SchemaMigrator
{
    public static IReadOnlyList<string> Scripts { get; } = typeof(SchemaMigrator).Assembly
        .GetManifestResourceNames()
        .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToList();

    public static int Migrate(SqliteConnection connection)
    {
        Exec(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied INTEGER NOT NULL)");
        var applied = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT id FROM schema_migrations";
            using var r = cmd.ExecuteReader();
            while (r.Read()) applied.Add(r.GetString(0));
        }
        foreach (var resource in Scripts)
        {
            var id = IdOf(resource);
            if (applied.Contains(id)) continue;
            using var tx = connection.BeginTransaction();
            Exec(connection, tx, ReadResource(resource));
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_migrations (id, applied) VALUES ($id, $t)";
            record.Parameters.AddWithValue("$id", id);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
            tx.Commit();
        }
        return Scripts.Count;
    }

    /// <summary>"Vigil.Storage.Sqlite.Migrations.0001_initial.sql" → "0001_initial".</summary>
    private static string IdOf(string resource)
    {
        var withoutExt = resource[..^4];
        return withoutExt[(withoutExt.LastIndexOf('.') + 1)..];
    }

    private static string ReadResource(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    private static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
