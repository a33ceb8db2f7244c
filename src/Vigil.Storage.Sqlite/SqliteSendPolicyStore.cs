using Vigil.Core.Submission;

namespace Vigil.Storage.Sqlite;

/// <summary>Per-account submission policy (extra sender patterns, hourly limit), scoped by account id.</summary>
public sealed class SqliteSendPolicyStore(SqliteDatabase db) : ISendPolicyStore
{
    public Task<SendPolicy> GetAsync(long accountId, CancellationToken ct)
    {
        using var c = db.Open();
        var senders = c.Query("SELECT pattern FROM send_as WHERE account_id = $a ORDER BY pattern", r => r.GetString(0), ("$a", accountId));
        var rate = c.Query("SELECT messages_per_hour FROM send_policies WHERE account_id = $a", r => r.IsDBNull(0) ? (int?)null : r.GetInt32(0), ("$a", accountId)).FirstOrDefault();
        return Task.FromResult(new SendPolicy(senders, rate));
    }

    public Task AllowSenderAsync(long accountId, string pattern, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "INSERT OR IGNORE INTO send_as (account_id, pattern) VALUES ($a, $p)", ("$a", accountId), ("$p", pattern)), ct);

    public Task<bool> RevokeSenderAsync(long accountId, string pattern, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM send_as WHERE account_id = $a AND pattern = $p", ("$a", accountId), ("$p", pattern)) > 0, ct);

    public Task SetRateAsync(long accountId, int? messagesPerHour, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            "INSERT INTO send_policies (account_id, messages_per_hour) VALUES ($a, $r) ON CONFLICT(account_id) DO UPDATE SET messages_per_hour = $r",
            ("$a", accountId), ("$r", messagesPerHour)), ct);
}
