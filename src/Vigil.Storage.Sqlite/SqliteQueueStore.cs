using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.Core.Delivery;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>The outbound queue in the embedded database. Every write goes through the group-commit
/// writer, so it is durable (synchronous=FULL) when the task completes.</summary>
public sealed class SqliteQueueStore(SqliteDatabase db) : IQueueStore
{
    private const string MessageColumns = "m.id, m.blob_id, m.size, m.envelope, m.created";
    private const string RecipientColumns =
        "r.id, r.message_id, r.address, r.domain, r.notify, r.orcpt, r.state, r.attempts, r.next_attempt, r.last_attempt, r.last_error, r.status, r.remote_mta, r.delay_reported, r.notice";

    public Task AddAsync(QueuedMessage message, IReadOnlyList<NewQueueRecipient> recipients, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            var created = message.Created.ToUnixTimeMilliseconds();
            c.Execute(tx, "INSERT INTO queue_messages (id, blob_id, size, sender, envelope, created) VALUES ($id, $b, $s, $f, $e, $c)",
                ("$id", message.Id), ("$b", message.Blob.Hex), ("$s", message.Size), ("$f", message.Envelope.MailFrom),
                ("$e", JsonSerializer.Serialize(message.Envelope, EnvelopeJson.Options)), ("$c", created));
            foreach (var r in recipients)
            {
                c.Execute(tx, "INSERT INTO queue_recipients (message_id, address, domain, notify, orcpt, next_attempt) VALUES ($m, $a, $d, $n, $o, $t)",
                    ("$m", message.Id), ("$a", r.Address), ("$d", r.Domain), ("$n", (long)r.Notify), ("$o", r.OriginalRecipient), ("$t", created));
            }
            return 0;
        }, ct);

    public Task<IReadOnlyList<DueDestination>> ListDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<DueDestination>>(c.Query(
            "SELECT domain, count(*) FROM queue_recipients WHERE state = 0 AND next_attempt <= $now GROUP BY domain ORDER BY min(next_attempt)",
            r => new DueDestination(r.GetString(0), r.GetInt32(1)), ("$now", now.ToUnixTimeMilliseconds())));
    }

    public Task<IReadOnlyList<QueueItem>> TakeDueAsync(string domain, DateTimeOffset now, int limit, IReadOnlyCollection<string> exclude, CancellationToken ct)
    {
        using var c = db.Open();
        var args = new (string, object?)[] { ("$d", domain), ("$now", now.ToUnixTimeMilliseconds()), ("$ex", JsonSerializer.Serialize(exclude)), ("$n", limit) };
        var messages = c.Query(
            $"SELECT {MessageColumns} FROM queue_messages m WHERE m.id NOT IN (SELECT value FROM json_each($ex)) AND EXISTS " +
            "(SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id AND r.state = 0 AND r.next_attempt <= $now AND r.domain = $d) ORDER BY m.created LIMIT $n",
            ReadMessage, args);
        if (messages.Count == 0) return Task.FromResult<IReadOnlyList<QueueItem>>([]);
        var recipients = c.Query(
            $"SELECT {RecipientColumns} FROM queue_recipients r WHERE r.message_id IN (SELECT value FROM json_each($ids)) AND r.state = 0 AND r.next_attempt <= $now AND r.domain = $d ORDER BY r.id",
            ReadRecipient, ("$ids", JsonSerializer.Serialize(messages.Select(m => m.Id))), ("$now", now.ToUnixTimeMilliseconds()), ("$d", domain));
        var byMessage = recipients.ToLookup(r => r.MessageId);
        return Task.FromResult<IReadOnlyList<QueueItem>>(messages.Select(m => new QueueItem(m, byMessage[m.Id].ToList())).ToList());
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        using var c = db.Open();
        var next = c.Query("SELECT min(next_attempt) FROM queue_recipients WHERE state = 0", r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0)).FirstOrDefault();
        return Task.FromResult(next is null ? (DateTimeOffset?)null : ToTime(next.Value));
    }

    public Task ApplyAsync(IReadOnlyList<RecipientUpdate> updates, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) =>
        {
            foreach (var (id, p) in updates)
            {
                c.Execute(tx,
                    "UPDATE queue_recipients SET state = $s, attempts = $a, next_attempt = $n, last_attempt = $l, last_error = $e, status = $st, remote_mta = $r, delay_reported = $dr, notice = $no WHERE id = $id",
                    ("$s", (long)p.State), ("$a", p.Attempts), ("$n", p.NextAttempt.ToUnixTimeMilliseconds()), ("$l", p.LastAttempt?.ToUnixTimeMilliseconds()),
                    ("$e", p.LastError), ("$st", p.Status), ("$r", p.RemoteMta), ("$dr", p.DelayReported ? 1 : 0), ("$no", (long?)p.Notice), ("$id", id));
            }
            // A message is done when no recipient is pending and no DSN is owed.
            c.Execute(tx,
                "DELETE FROM queue_messages WHERE id IN (SELECT message_id FROM queue_recipients WHERE id IN (SELECT value FROM json_each($ids))) " +
                "AND NOT EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = queue_messages.id AND (r.state = 0 OR r.notice IS NOT NULL))",
                ("$ids", JsonSerializer.Serialize(updates.Select(u => u.RecipientId))));
            return 0;
        }, ct);

    public Task<IReadOnlyList<QueueEntry>> ListWithNoticesAsync(int limit, CancellationToken ct) =>
        Entries("m.id IN (SELECT message_id FROM queue_recipients WHERE notice IS NOT NULL) ORDER BY m.created LIMIT $n", ("$n", limit));

    public Task<IReadOnlyList<QueueEntry>> ListAsync(CancellationToken ct) => Entries("1 ORDER BY m.created");

    public async Task<QueueEntry?> GetAsync(string id, CancellationToken ct) => (await Entries("m.id = $id", ("$id", id))).FirstOrDefault();

    public Task<int> RetryNowAsync(string? id, DateTimeOffset now, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            "UPDATE queue_recipients SET next_attempt = $now WHERE state = 0 AND ($id IS NULL OR message_id = $id)",
            ("$now", now.ToUnixTimeMilliseconds()), ("$id", id)), ct);

    public Task<bool> RemoveAsync(string id, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM queue_messages WHERE id = $id", ("$id", id)) > 0, ct);

    private Task<IReadOnlyList<QueueEntry>> Entries(string where, params (string, object?)[] args)
    {
        using var c = db.Open();
        var messages = c.Query($"SELECT {MessageColumns} FROM queue_messages m WHERE {where}", ReadMessage, args);
        if (messages.Count == 0) return Task.FromResult<IReadOnlyList<QueueEntry>>([]);
        var recipients = c.Query($"SELECT {RecipientColumns} FROM queue_recipients r WHERE r.message_id IN (SELECT value FROM json_each($ids)) ORDER BY r.id",
            ReadRecipient, ("$ids", JsonSerializer.Serialize(messages.Select(m => m.Id)))).ToLookup(r => r.MessageId);
        return Task.FromResult<IReadOnlyList<QueueEntry>>(messages.Select(m => new QueueEntry(m, recipients[m.Id].ToList())).ToList());
    }

    private static QueuedMessage ReadMessage(SqliteDataReader r) => new(
        r.GetString(0), BlobId.Parse(r.GetString(1)), r.GetInt64(2),
        JsonSerializer.Deserialize<Envelope>(r.GetString(3), EnvelopeJson.Options)!, ToTime(r.GetInt64(4)));

    private static QueueRecipient ReadRecipient(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), (DsnNotify)r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5),
        new RecipientProgress((RecipientState)r.GetInt64(6), r.GetInt32(7), ToTime(r.GetInt64(8)), r.IsDBNull(9) ? null : ToTime(r.GetInt64(9)),
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12),
            r.GetInt64(13) != 0, r.IsDBNull(14) ? null : (DsnAction)r.GetInt64(14)));
}
