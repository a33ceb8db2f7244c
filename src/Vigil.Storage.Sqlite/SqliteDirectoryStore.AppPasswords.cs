using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>App passwords, every query scoped by account id.</summary>
public sealed partial class SqliteDirectoryStore
{
    private const string AppPasswordColumns = "id, account_id, name, selector, hash, created, last_used, expired";
    private const int SqliteConstraint = 19;

    public Task<AppPassword> AddAppPasswordAsync(long accountId, string name, string selector, string hash, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            if (c.ScalarLong(tx, "SELECT count(*) FROM accounts WHERE id = $a", ("$a", accountId)) == 0) throw new KeyNotFoundException($"no account {accountId}");
            try
            {
                var id = c.ScalarLong(tx, "INSERT INTO app_passwords (account_id, name, selector, hash, created) VALUES ($a, $n, $s, $h, $t) RETURNING id",
                    ("$a", accountId), ("$n", name), ("$s", selector), ("$h", hash), ("$t", Now()));
                return c.QueryTx(tx, $"SELECT {AppPasswordColumns} FROM app_passwords WHERE id = $id", ReadAppPassword, ("$id", id)).Single();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                throw new InvalidOperationException($"the account already has an app password named {name} (or with that selector)", ex);
            }
        }, ct);

    public Task<IReadOnlyList<AppPassword>> ListAppPasswordsAsync(long accountId, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<AppPassword>>(c.Query(
            $"SELECT {AppPasswordColumns} FROM app_passwords WHERE account_id = $a ORDER BY id", ReadAppPassword, ("$a", accountId)));
    }

    public Task<AppPassword?> FindAppPasswordAsync(long accountId, string selector, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query(
            $"SELECT {AppPasswordColumns} FROM app_passwords WHERE account_id = $a AND selector = $s", ReadAppPassword, ("$a", accountId), ("$s", selector)).FirstOrDefault());
    }

    public Task<bool> RemoveAppPasswordAsync(long accountId, string name, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM app_passwords WHERE account_id = $a AND name = $n", ("$a", accountId), ("$n", name)) > 0, ct);

    public Task MarkAppPasswordUsedAsync(long accountId, long appPasswordId, DateTimeOffset when, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "UPDATE app_passwords SET last_used = $t WHERE account_id = $a AND id = $id",
            ("$t", when.ToUnixTimeMilliseconds()), ("$a", accountId), ("$id", appPasswordId)), ct, durable: false);

    private static AppPassword ReadAppPassword(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), ToTime(r.GetInt64(5)),
        r.IsDBNull(6) ? null : ToTime(r.GetInt64(6)), r.GetInt64(7) != 0);
}
