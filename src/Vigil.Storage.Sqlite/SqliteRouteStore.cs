using Microsoft.Data.Sqlite;
using Vigil.Core.Outbound.Routing;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>The outbound route table in the embedded database.</summary>
public sealed class SqliteRouteStore(SqliteDatabase db) : IRouteStore
{
    private const string Columns = "domain, host, port, auth_user, auth_secret, tls";

    public Task SetAsync(Route route, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            $"INSERT INTO routes ({Columns}, created) VALUES ($d, $h, $p, $u, $s, $t, $c) " +
            "ON CONFLICT(domain) DO UPDATE SET host = $h, port = $p, auth_user = $u, auth_secret = $s, tls = $t",
            ("$d", route.Domain), ("$h", route.Host), ("$p", route.Port), ("$u", route.AuthUser), ("$s", route.AuthSecret), ("$t", (long)route.Tls), ("$c", Now())), ct);

    public Task<Route?> GetAsync(string domain, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query($"SELECT {Columns} FROM routes WHERE domain = $d", Read, ("$d", domain)).FirstOrDefault());
    }

    public Task<IReadOnlyList<Route>> ListAsync(CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<Route>>(c.Query($"SELECT {Columns} FROM routes ORDER BY domain = '*', domain", Read));
    }

    public Task<bool> RemoveAsync(string domain, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM routes WHERE domain = $d", ("$d", domain)) > 0, ct);

    private static Route Read(SqliteDataReader r) => new(
        r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4), (TlsPolicy)r.GetInt64(5));
}
