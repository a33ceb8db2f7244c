using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

/// <summary>Counts rows of the whole store (admin totals, never per-account content).</summary>
public sealed class SqliteStoreStatistics(SqliteDatabase db) : IStoreStatistics
{
    public Task<StoreCounts> CountAsync(CancellationToken ct)
    {
        using var c = db.Open();
        var counts = c.Query(
            "SELECT (SELECT count(*) FROM domains), (SELECT count(*) FROM accounts), (SELECT count(*) FROM messages)",
            r => new StoreCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
        return Task.FromResult(counts[0]);
    }
}
