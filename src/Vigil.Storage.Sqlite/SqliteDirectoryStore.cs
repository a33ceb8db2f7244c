using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>Domains, accounts and aliases in the embedded database.</summary>
public sealed partial class SqliteDirectoryStore(SqliteDatabase db) : IDirectoryStore
{
    private const string AccountColumns =
        "a.id, a.domain_id, a.local_part, d.name, a.password_hash, a.quota_bytes, a.used_bytes, a.is_admin, a.password_expired, a.created";

    public Task<Domain> AddDomainAsync(string name, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var now = Now();
            var id = c.ScalarLong(tx, "INSERT INTO domains (name, created) VALUES ($n, $t) RETURNING id", ("$n", name), ("$t", now));
            return new Domain(id, name, ToTime(now));
        }, ct);

    public Task<Domain?> GetDomainAsync(string name, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query("SELECT id, name, created FROM domains WHERE name = $n", ReadDomain, ("$n", name)).FirstOrDefault());
    }

    public Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<Domain>>(c.Query("SELECT id, name, created FROM domains ORDER BY name", ReadDomain));
    }

    public Task<bool> RemoveDomainAsync(string name, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var accounts = c.ScalarLong(tx, "SELECT count(*) FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE d.name = $n", ("$n", name));
            if (accounts > 0) throw new InvalidOperationException($"Domain {name} still has {accounts} account(s); remove them first.");
            return c.Execute(tx, "DELETE FROM domains WHERE name = $n", ("$n", name)) > 0;
        }, ct);

    public Task<Account> AddAccountAsync(NewAccount account, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var domainId = c.QueryTx(tx, "SELECT id FROM domains WHERE name = $n", r => r.GetInt64(0), ("$n", account.Domain)).FirstOrDefault();
            if (domainId == 0) throw new KeyNotFoundException($"Domain {account.Domain} does not exist.");
            var now = Now();
            var id = c.ScalarLong(tx,
                "INSERT INTO accounts (domain_id, local_part, password_hash, quota_bytes, is_admin, created) VALUES ($d, $l, $h, $q, $a, $t) RETURNING id",
                ("$d", domainId), ("$l", account.LocalPart), ("$h", account.PasswordHash), ("$q", account.QuotaBytes), ("$a", account.IsAdmin ? 1 : 0), ("$t", now));
            foreach (var mb in account.Mailboxes) SqliteMailboxes.Create(c, tx, id, mb.Name, mb.SpecialUse);
            return c.QueryTx(tx, $"SELECT {AccountColumns} FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE a.id = $id", ReadAccount, ("$id", id)).Single();
        }, ct);

    public Task<Account?> GetAccountAsync(string localPart, string domain, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query(
            $"SELECT {AccountColumns} FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE d.name = $d AND a.local_part = $l",
            ReadAccount, ("$d", domain), ("$l", localPart)).FirstOrDefault());
    }

    public Task<Account?> GetAccountByIdAsync(long id, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query($"SELECT {AccountColumns} FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE a.id = $id", ReadAccount, ("$id", id)).FirstOrDefault());
    }

    public Task<IReadOnlyList<Account>> ListAccountsAsync(string? domain, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<Account>>(c.Query(
            $"SELECT {AccountColumns} FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE $d IS NULL OR d.name = $d ORDER BY d.name, a.local_part",
            ReadAccount, ("$d", domain)));
    }

    public Task SetPasswordAsync(long accountId, string passwordHash, bool expired, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            c.Execute(tx, "UPDATE accounts SET password_hash = $h, password_expired = $e WHERE id = $id", ("$h", passwordHash), ("$e", expired ? 1 : 0), ("$id", accountId));
            return expired
                ? c.Execute(tx, "UPDATE app_passwords SET expired = 1 WHERE account_id = $id", ("$id", accountId))
                : c.Execute(tx, "DELETE FROM app_passwords WHERE account_id = $id AND expired = 1", ("$id", accountId));
        }, ct);

    public Task<bool> RemoveAccountAsync(long accountId, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM accounts WHERE id = $id", ("$id", accountId)) > 0, ct);

    public Task<Alias> AddAliasAsync(string localPart, string domain, string target, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var domainId = c.QueryTx(tx, "SELECT id FROM domains WHERE name = $n", r => r.GetInt64(0), ("$n", domain)).FirstOrDefault();
            if (domainId == 0) throw new KeyNotFoundException($"Domain {domain} does not exist.");
            var now = Now();
            var id = c.ScalarLong(tx, "INSERT INTO aliases (domain_id, local_part, target, created) VALUES ($d, $l, $t, $c) RETURNING id",
                ("$d", domainId), ("$l", localPart), ("$t", target), ("$c", now));
            return new Alias(id, domainId, localPart, domain, target, ToTime(now));
        }, ct);

    public Task<IReadOnlyList<string>> GetAliasTargetsAsync(string localPart, string domain, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<string>>(c.Query(
            "SELECT x.target FROM aliases x JOIN domains d ON d.id = x.domain_id WHERE d.name = $d AND x.local_part = $l ORDER BY x.id",
            r => r.GetString(0), ("$d", domain), ("$l", localPart)));
    }

    public Task<IReadOnlyList<Alias>> ListAliasesAsync(string? domain, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<Alias>>(c.Query(
            "SELECT x.id, x.domain_id, x.local_part, d.name, x.target, x.created FROM aliases x JOIN domains d ON d.id = x.domain_id WHERE $d IS NULL OR d.name = $d ORDER BY d.name, x.local_part, x.target",
            r => new Alias(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), ToTime(r.GetInt64(5))), ("$d", domain)));
    }

    public Task<int> RemoveAliasAsync(string localPart, string domain, string? target, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            "DELETE FROM aliases WHERE domain_id = (SELECT id FROM domains WHERE name = $d) AND local_part = $l AND ($t IS NULL OR target = $t)",
            ("$d", domain), ("$l", localPart), ("$t", target)), ct);

    private static Domain ReadDomain(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), ToTime(r.GetInt64(2)));

    private static Account ReadAccount(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetInt64(6),
        r.GetInt64(7) != 0, r.GetInt64(8) != 0, ToTime(r.GetInt64(9)));
}
