using Vigil.Core.Model;
using Vigil.Core.Storage;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>DKIM keys in the embedded database; they go with their domain (ON DELETE CASCADE).</summary>
public sealed class SqliteDkimKeyStore(SqliteDatabase db) : IDkimKeyStore
{
    public Task AddAsync(string domain, string selector, DkimAlgorithm algorithm, string privateKeyPem, string publicKey, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var domainId = c.QueryTx(tx, "SELECT id FROM domains WHERE name = $n", r => r.GetInt64(0), ("$n", domain)).FirstOrDefault();
            if (domainId == 0) throw new KeyNotFoundException($"Domain {domain} does not exist.");
            return c.Execute(tx, "INSERT INTO dkim_keys (domain_id, selector, algorithm, private_key, public_key, created) VALUES ($d, $s, $a, $k, $p, $t)",
                ("$d", domainId), ("$s", selector), ("$a", (long)algorithm), ("$k", privateKeyPem), ("$p", publicKey), ("$t", Now()));
        }, ct);

    public Task<IReadOnlyList<DkimKey>> ListAsync(string domain, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<DkimKey>>(c.Query(
            "SELECT k.id, d.name, k.selector, k.algorithm, k.private_key, k.public_key, k.created FROM dkim_keys k JOIN domains d ON d.id = k.domain_id WHERE d.name = $n ORDER BY k.algorithm, k.id",
            r => new DkimKey(r.GetInt64(0), r.GetString(1), r.GetString(2), (DkimAlgorithm)r.GetInt64(3), r.GetString(4), r.GetString(5), ToTime(r.GetInt64(6))),
            ("$n", domain)));
    }
}
