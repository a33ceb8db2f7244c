using Vigil.Core.Model;
using Vigil.Core.Storage;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>Mailboxes and message rows in the embedded database. Every statement is scoped by
/// account id.</summary>
public sealed partial class SqliteMessageStore(SqliteDatabase db) : IMessageStore
{
    public Task<IReadOnlyList<Mailbox>> ListMailboxesAsync(long accountId, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<Mailbox>>(c.Query(
            $"SELECT {SqliteMailboxes.Columns} FROM mailboxes WHERE account_id = $a ORDER BY name", SqliteMailboxes.Read, ("$a", accountId)));
    }

    public Task<Mailbox?> GetMailboxAsync(long accountId, string name, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult(c.Query(
            $"SELECT {SqliteMailboxes.Columns} FROM mailboxes WHERE account_id = $a AND name = $n", SqliteMailboxes.Read, ("$a", accountId), ("$n", name)).FirstOrDefault());
    }

    public Task<IReadOnlyList<StoredMessage>> ListMessagesAsync(long accountId, long mailboxId, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<StoredMessage>>(c.Query(
            "SELECT id, account_id, mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, subject FROM messages WHERE account_id = $a AND mailbox_id = $m ORDER BY uid",
            r => new StoredMessage(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), (uint)r.GetInt64(3), r.GetInt64(4), (MessageFlags)r.GetInt64(5),
                r.GetString(6).Split(' ', StringSplitOptions.RemoveEmptyEntries), ToTime(r.GetInt64(7)), r.GetInt64(8), BlobId.Parse(r.GetString(9)),
                r.IsDBNull(10) ? null : r.GetString(10)),
            ("$a", accountId), ("$m", mailboxId)));
    }

    public async Task<IReadOnlyList<AppendedMessage>> AppendAsync(IReadOnlyList<NewMessage> messages, CancellationToken ct)
    {
        var queued = false;
        var appended = await db.Writer.ExecuteAsync<IReadOnlyList<AppendedMessage>>((c, tx) =>
        {
            var result = new List<AppendedMessage>(messages.Count);
            foreach (var m in messages)
            {
                var slot = c.QueryTx(tx,
                    "UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 WHERE account_id = $a AND name = $n RETURNING id, uid_next - 1, highest_modseq, uid_validity",
                    r => (Id: r.GetInt64(0), Uid: (uint)r.GetInt64(1), ModSeq: r.GetInt64(2), UidValidity: (uint)r.GetInt64(3)),
                    ("$a", m.AccountId), ("$n", m.MailboxName)).FirstOrDefault();
                if (slot.Id == 0) throw new KeyNotFoundException($"Account {m.AccountId} has no mailbox '{m.MailboxName}'.");
                if (m.EnforceQuota) CheckQuota(c, tx, m.AccountId, m.Size);
                if (m.Summary is not null) queued |= SqliteSummaries.Insert(c, tx, m.BlobId.Hex, m.Summary);
                var id = c.ScalarLong(tx,
                    "INSERT INTO messages (account_id, mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, subject, envelope, header_size) " +
                    "VALUES ($a, $m, $u, $s, $f, $k, $d, $z, $b, $j, $e, $h) RETURNING id",
                    ("$a", m.AccountId), ("$m", slot.Id), ("$u", slot.Uid), ("$s", slot.ModSeq), ("$f", (long)m.Flags), ("$k", string.Join(' ', m.Keywords)),
                    ("$d", m.InternalDate.ToUnixTimeMilliseconds()), ("$z", m.Size), ("$b", m.BlobId.Hex), ("$j", m.Subject), ("$e", m.EnvelopeJson),
                    ("$h", m.Summary?.Body.BodyOffset));
                c.Execute(tx, "UPDATE accounts SET used_bytes = used_bytes + $z WHERE id = $a", ("$z", m.Size), ("$a", m.AccountId));
                result.Add(new AppendedMessage(m.AccountId, slot.Id, id, slot.Uid, slot.ModSeq, slot.UidValidity));
            }
            return result;
        }, ct);
        // After the commit, so the indexer that wakes up on it finds the queued entries.
        if (queued) db.NoteTextQueued();
        return appended;
    }

    public Task<ExpungeResult> ExpungeAsync(long accountId, long mailboxId, IReadOnlyList<uint> uids, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => SqliteExpunge.Remove(c, tx, accountId, mailboxId, uids), ct);

    /// <summary>The \Deleted messages of a mailbox, spelt "(flags &amp; 8) != 0" exactly so that
    /// SQLite reads them from the partial index messages_deleted (migration 0009).</summary>
    internal const string DeletedSql = "SELECT uid FROM messages WHERE account_id = $a AND mailbox_id = $m AND (flags & 8) != 0";

    public Task<ExpungeResult> ExpungeDeletedAsync(long accountId, long mailboxId, IReadOnlyList<uint>? within, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var deleted = c.QueryTx(tx, DeletedSql,
                r => (uint)r.GetInt64(0), ("$a", accountId), ("$m", mailboxId));
            if (within is not null) deleted = deleted.Intersect(within).ToList();
            return SqliteExpunge.Remove(c, tx, accountId, mailboxId, deleted);
        }, ct, durable: false);

    /// <summary>Fails the operation when adding <paramref name="bytes"/> would exceed the quota.</summary>
    private static void CheckQuota(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, long accountId, long bytes)
    {
        var (quota, used) = c.QueryTx(tx, "SELECT quota_bytes, used_bytes FROM accounts WHERE id = $a", r => (r.GetInt64(0), r.GetInt64(1)), ("$a", accountId)).Single();
        if (quota > 0 && used + bytes > quota) throw new QuotaExceededException($"Account {accountId} would exceed its quota of {quota} bytes.");
    }
}
