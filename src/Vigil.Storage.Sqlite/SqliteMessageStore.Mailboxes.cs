using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

// Mailbox management for IMAP: create, delete, rename, subscriptions, counters.
public sealed partial class SqliteMessageStore
{
    public Task<Mailbox?> GetMailboxByIdAsync(long accountId, long mailboxId, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query(
            $"SELECT {SqliteMailboxes.Columns} FROM mailboxes WHERE account_id = $a AND id = $m", SqliteMailboxes.Read, ("$a", accountId), ("$m", mailboxId)).FirstOrDefault());
    }

    public Task<Mailbox> CreateMailboxAsync(long accountId, string name, string? specialUse, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            if (c.ScalarLong(tx, "SELECT count(*) FROM mailboxes WHERE account_id = $a AND name = $n", ("$a", accountId), ("$n", name)) > 0)
                throw new MailboxExistsException($"Mailbox '{name}' already exists.");
            var id = SqliteMailboxes.Create(c, tx, accountId, name, specialUse, subscribe: false);
            return c.QueryTx(tx, $"SELECT {SqliteMailboxes.Columns} FROM mailboxes WHERE id = $m", SqliteMailboxes.Read, ("$m", id)).Single();
        }, ct);

    public Task<bool> DeleteMailboxAsync(long accountId, long mailboxId, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var rows = c.QueryTx(tx, "DELETE FROM messages WHERE account_id = $a AND mailbox_id = $m RETURNING size, blob_id",
                r => (Size: r.GetInt64(0), Blob: r.GetString(1)), ("$a", accountId), ("$m", mailboxId));
            var freed = rows.Sum(r => r.Size);
            if (freed > 0) c.Execute(tx, "UPDATE accounts SET used_bytes = max(0, used_bytes - $z) WHERE id = $a", ("$z", freed), ("$a", accountId));
            SqliteSummaries.RemoveUnreferenced(c, tx, rows.Select(r => r.Blob));
            return c.Execute(tx, "DELETE FROM mailboxes WHERE account_id = $a AND id = $m", ("$a", accountId), ("$m", mailboxId)) > 0;
        }, ct);

    public Task RenameMailboxAsync(long accountId, string from, string to, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var moving = c.QueryTx(tx, "SELECT id, name FROM mailboxes WHERE account_id = $a AND (name = $f OR substr(name, 1, length($f) + 1) = $f || '/')",
                r => (Id: r.GetInt64(0), Name: r.GetString(1)), ("$a", accountId), ("$f", from));
            if (moving.Count == 0) throw new KeyNotFoundException($"Mailbox '{from}' does not exist.");
            var renames = moving.Select(m => (m.Id, Old: m.Name, New: to + m.Name[from.Length..])).ToList();
            foreach (var r in renames)
            {
                if (c.ScalarLong(tx, "SELECT count(*) FROM mailboxes WHERE account_id = $a AND name = $n", ("$a", accountId), ("$n", r.New)) > 0)
                    throw new MailboxExistsException($"Mailbox '{r.New}' already exists.");
            }
            // Two passes through unique temporary names so that renaming "a" to "a/b" cannot collide midway.
            foreach (var r in renames) c.Execute(tx, "UPDATE mailboxes SET name = $t WHERE id = $m", ("$t", "\u0001" + r.Id), ("$m", r.Id));
            foreach (var r in renames)
            {
                c.Execute(tx, "UPDATE mailboxes SET name = $n WHERE id = $m AND account_id = $a", ("$n", r.New), ("$m", r.Id), ("$a", accountId));
                c.Execute(tx, "UPDATE OR REPLACE subscriptions SET name = $n WHERE account_id = $a AND name = $o", ("$n", r.New), ("$a", accountId), ("$o", r.Old));
            }
            return 0;
        }, ct);

    public Task<ExpungeResult> MoveInboxAsync(long accountId, string to, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            if (c.ScalarLong(tx, "SELECT count(*) FROM mailboxes WHERE account_id = $a AND name = $n", ("$a", accountId), ("$n", to)) > 0)
                throw new MailboxExistsException($"Mailbox '{to}' already exists.");
            var inbox = c.QueryTx(tx, "SELECT id, uid_next, highest_modseq FROM mailboxes WHERE account_id = $a AND name = $n",
                r => (Id: r.GetInt64(0), UidNext: r.GetInt64(1), ModSeq: r.GetInt64(2)), ("$a", accountId), ("$n", Mailbox.Inbox)).Single();
            var target = SqliteMailboxes.Create(c, tx, accountId, to, null, subscribe: false);
            // The new mailbox has a fresh UIDVALIDITY, so the messages keep their UIDs.
            c.Execute(tx, "UPDATE mailboxes SET uid_next = $u, highest_modseq = $s WHERE id = $m", ("$u", inbox.UidNext), ("$s", inbox.ModSeq + 1), ("$m", target));
            var uids = c.QueryTx(tx, "SELECT uid FROM messages WHERE account_id = $a AND mailbox_id = $m ORDER BY uid", r => (uint)r.GetInt64(0), ("$a", accountId), ("$m", inbox.Id));
            if (uids.Count == 0) return new ExpungeResult(accountId, inbox.Id, [], inbox.ModSeq, 0);
            c.Execute(tx, "UPDATE messages SET mailbox_id = $t WHERE account_id = $a AND mailbox_id = $m", ("$t", target), ("$a", accountId), ("$m", inbox.Id));
            var modSeq = c.ScalarLong(tx, "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = $m RETURNING highest_modseq", ("$m", inbox.Id));
            using (var log = c.Command("INSERT OR REPLACE INTO expunged (account_id, mailbox_id, uid, modseq) VALUES ($a, $m, $u, $s)", tx,
                ("$a", accountId), ("$m", inbox.Id), ("$u", 0L), ("$s", modSeq)))
            {
                foreach (var uid in uids)
                {
                    log.Parameters["$u"].Value = (long)uid;
                    log.ExecuteNonQuery();
                }
            }
            return new ExpungeResult(accountId, inbox.Id, uids, modSeq, 0);
        }, ct);

    public Task<IReadOnlyList<string>> ListSubscriptionsAsync(long accountId, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<string>>(c.Query("SELECT name FROM subscriptions WHERE account_id = $a ORDER BY name", r => r.GetString(0), ("$a", accountId)));
    }

    public Task SetSubscribedAsync(long accountId, string name, bool subscribed, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => subscribed
            ? c.Execute(tx, "INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES ($a, $n)", ("$a", accountId), ("$n", name))
            : c.Execute(tx, "DELETE FROM subscriptions WHERE account_id = $a AND name = $n", ("$a", accountId), ("$n", name)), ct);

    public Task<MailboxCounts> GetMailboxCountsAsync(long accountId, long mailboxId, CancellationToken ct)
    {
        using var c = db.Open();
        // The totals are the counters the triggers of 0006_mailbox_counters.sql keep; \Recent and the
        // first unseen UID are index lookups (messages_account, messages_unseen), so neither reads
        // the mailbox's message rows.
        return Task.FromResult(c.Query(
            "SELECT b.message_count, b.unseen_count, b.deleted_count, b.total_size, " +
            "(SELECT count(*) FROM messages m WHERE m.account_id = b.account_id AND m.mailbox_id = b.id AND m.uid >= b.recent_uid), " +
            "coalesce((SELECT m.uid FROM messages m WHERE m.account_id = b.account_id AND m.mailbox_id = b.id AND (m.flags & 1) = 0 ORDER BY m.uid LIMIT 1), 0) " +
            "FROM mailboxes b WHERE b.account_id = $a AND b.id = $m",
            r => new MailboxCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt64(3), r.GetInt32(4), (uint)r.GetInt64(5)),
            ("$a", accountId), ("$m", mailboxId)).Single());
    }
}
