using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

/// <summary>Removing message rows, shared by EXPUNGE, MOVE and DELETE: every removed UID is logged
/// with the new MODSEQ so QRESYNC clients learn of it (RFC 7162 §3.2.5.1 VANISHED).</summary>
internal static class SqliteExpunge
{
    /// <summary>Current HIGHESTMODSEQ of an account's mailbox; throws when it is not the account's.</summary>
    public static long MailboxModSeq(SqliteConnection c, SqliteTransaction tx, long accountId, long mailboxId) =>
        c.QueryTx(tx, "SELECT highest_modseq FROM mailboxes WHERE id = $m AND account_id = $a",
            r => (long?)r.GetInt64(0), ("$m", mailboxId), ("$a", accountId)).FirstOrDefault()
        ?? throw new KeyNotFoundException($"Account {accountId} has no mailbox {mailboxId}.");

    public static ExpungeResult Remove(SqliteConnection c, SqliteTransaction tx, long accountId, long mailboxId, IEnumerable<uint> uids, bool freeQuota = true)
    {
        var modSeq = MailboxModSeq(c, tx, accountId, mailboxId);
        var removed = new List<(uint Uid, long Size, string Blob)>();
        using (var delete = c.Command(
            "DELETE FROM messages WHERE account_id = $a AND mailbox_id = $m AND uid = $u RETURNING size, blob_id", tx,
            ("$a", accountId), ("$m", mailboxId), ("$u", 0L)))
        {
            foreach (var uid in uids.Distinct().Order())
            {
                delete.Parameters["$u"].Value = (long)uid;
                using var r = delete.ExecuteReader();
                if (r.Read()) removed.Add((uid, r.GetInt64(0), r.GetString(1)));
            }
        }
        if (removed.Count == 0) return new ExpungeResult(accountId, mailboxId, [], modSeq, 0);

        var freed = removed.Sum(x => x.Size);
        if (freeQuota) c.Execute(tx, "UPDATE accounts SET used_bytes = max(0, used_bytes - $z) WHERE id = $a", ("$z", freed), ("$a", accountId));
        modSeq = c.ScalarLong(tx, "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = $m AND account_id = $a RETURNING highest_modseq",
            ("$m", mailboxId), ("$a", accountId));
        using (var log = c.Command("INSERT OR REPLACE INTO expunged (account_id, mailbox_id, uid, modseq) VALUES ($a, $m, $u, $s)", tx,
            ("$a", accountId), ("$m", mailboxId), ("$u", 0L), ("$s", modSeq)))
        {
            foreach (var (uid, _, _) in removed)
            {
                log.Parameters["$u"].Value = (long)uid;
                log.ExecuteNonQuery();
            }
        }
        SqliteSummaries.RemoveUnreferenced(c, tx, removed.Select(x => x.Blob));
        // The released bodies are recorded by the trigger on messages (migration 0011).
        return new ExpungeResult(accountId, mailboxId, removed.Select(x => x.Uid).ToList(), modSeq, freeQuota ? freed : 0);
    }
}
