using Microsoft.Data.Sqlite;
using Vigil.Core.Model;

namespace Vigil.Storage.Sqlite;

/// <summary>Mailbox rows: creation with a fresh UIDVALIDITY, and reads.</summary>
internal static class SqliteMailboxes
{
    /// <summary>Columns of <c>FROM mailboxes</c> read by <see cref="Read"/>. Subscriptions are kept
    /// by name (RFC 9051 §6.3.7: one may subscribe to a name that does not exist).</summary>
    public const string Columns = "id, account_id, name, uid_validity, uid_next, highest_modseq, special_use, " +
        "EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = mailboxes.account_id AND s.name = mailboxes.name)";

    /// <summary>UIDVALIDITY must change whenever a name is re-used (RFC 9051 §2.3.1.1); a counter
    /// seeded from the clock and kept in <c>meta</c> never repeats, even within one second.</summary>
    public static long Create(SqliteConnection c, SqliteTransaction tx, long accountId, string name, string? specialUse, bool subscribe = true)
    {
        var now = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var last = c.QueryTx(tx, "SELECT value FROM meta WHERE key = 'uidvalidity'", r => long.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var uidValidity = Math.Max(now, last + 1);
        c.Execute(tx, "INSERT INTO meta (key, value) VALUES ('uidvalidity', $v) ON CONFLICT(key) DO UPDATE SET value = $v", ("$v", uidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var id = c.ScalarLong(tx, "INSERT INTO mailboxes (account_id, name, uid_validity, special_use) VALUES ($a, $n, $u, $s) RETURNING id",
            ("$a", accountId), ("$n", name), ("$u", uidValidity), ("$s", specialUse));
        if (subscribe) c.Execute(tx, "INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES ($a, $n)", ("$a", accountId), ("$n", name));
        return id;
    }

    public static Mailbox Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), (uint)r.GetInt64(3), (uint)r.GetInt64(4), r.GetInt64(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetInt64(7) != 0);
}
