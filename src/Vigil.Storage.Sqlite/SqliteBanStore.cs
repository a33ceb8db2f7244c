using System.Net;
using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using static Vigil.Storage.Sqlite.SqlExtensions;

namespace Vigil.Storage.Sqlite;

/// <summary>The ban table and allow-list in the embedded database.</summary>
public sealed class SqliteBanStore(SqliteDatabase db) : IBanStore
{
    public Task<IReadOnlyList<Ban>> ListBansAsync(CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<Ban>>(c.Query(
            "SELECT network, reason, source, created, expires, offenses FROM bans ORDER BY created", ReadBan));
    }

    public Task SaveBanAsync(Ban ban, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            "INSERT OR REPLACE INTO bans (network, reason, source, created, expires, offenses) VALUES ($n, $r, $s, $c, $e, $o)",
            ("$n", ban.Network.ToString()), ("$r", ban.Reason), ("$s", ban.Source == BanSource.Admin ? "admin" : "auto"),
            ("$c", ban.Created.ToUnixTimeMilliseconds()), ("$e", ban.Expires?.ToUnixTimeMilliseconds()), ("$o", ban.Offenses)), ct);

    public Task<bool> RemoveBanAsync(IPNetwork network, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM bans WHERE network = $n", ("$n", network.ToString())) > 0, ct);

    public Task<int> PurgeBansAsync(DateTimeOffset cutoff, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM bans WHERE expires IS NOT NULL AND expires < $t",
            ("$t", cutoff.ToUnixTimeMilliseconds())), ct);

    public Task<IReadOnlyList<BanExemption>> ListExemptionsAsync(CancellationToken ct)
    {
        using var c = db.Open();
        return Task.FromResult<IReadOnlyList<BanExemption>>(c.Query(
            "SELECT network, note, added_by, created FROM ban_exemptions ORDER BY created",
            r => new BanExemption(IPNetwork.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), ToTime(r.GetInt64(3)))));
    }

    public Task<bool> AddExemptionAsync(BanExemption exemption, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx,
            "INSERT INTO ban_exemptions (network, note, added_by, created) VALUES ($n, $o, $b, $c) ON CONFLICT (network) DO NOTHING",
            ("$n", exemption.Network.ToString()), ("$o", exemption.Note), ("$b", exemption.AddedBy), ("$c", exemption.Created.ToUnixTimeMilliseconds())) > 0, ct);

    public Task<bool> RemoveExemptionAsync(IPNetwork network, CancellationToken ct) =>
        db.Writer.ExecuteAsync((c, tx) => c.Execute(tx, "DELETE FROM ban_exemptions WHERE network = $n", ("$n", network.ToString())) > 0, ct);

    private static Ban ReadBan(SqliteDataReader r) => new(
        IPNetwork.Parse(r.GetString(0)), r.GetString(1), r.GetString(2) == "admin" ? BanSource.Admin : BanSource.Automatic,
        ToTime(r.GetInt64(3)), r.IsDBNull(4) ? null : ToTime(r.GetInt64(4)), (int)r.GetInt64(5));
}
