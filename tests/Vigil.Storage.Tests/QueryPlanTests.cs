using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.Support;

namespace Vigil.Storage.Tests;

/// <summary>The hot IMAP queries whose plan SQLite gets wrong by itself (no statistics) read from
/// the index meant for them; a full walk of the mailbox showed up only under load, as half the
/// server's time.</summary>
public sealed class QueryPlanTests : TempDatabase
{
    private string Plan(string sql)
    {
        using var c = Db.Open();
        return string.Join("\n", c.Query("EXPLAIN QUERY PLAN " + sql, r => r.GetString(3), ("$a", 1), ("$m", 1), ("$s", 0)));
    }

    [Fact]
    public void Vanished_uids_are_read_from_the_modseq_index() =>
        Assert.Contains("USING INDEX expunged_modseq (mailbox_id=? AND modseq>?)", Plan(SqliteMessageStore.VanishedSql));

    [Fact]
    public void Deleted_messages_are_read_from_their_partial_index() =>
        Assert.Contains("USING INDEX messages_deleted", Plan(SqliteMessageStore.DeletedSql));
}
