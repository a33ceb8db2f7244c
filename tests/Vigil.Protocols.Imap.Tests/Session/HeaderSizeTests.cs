using System.Text;
using Microsoft.Data.Sqlite;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>FETCH of the message's own header or text (HEADER.FIELDS, HEADER, TEXT, RFC822.HEADER)
/// takes where the header ends from the message row, not from the summary; messages stored before
/// that column existed are served from their summary, or parsed, with the same bytes.</summary>
public sealed class HeaderSizeTests
{
    private const string Message =
        "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: Header size\r\n" +
        "X-Folded: one\r\n two\r\n\r\nBody line one\r\nBody line two\r\n";

    private const string Fetch = "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT X-FOLDED)] BODY.PEEK[HEADER] BODY.PEEK[TEXT] RFC822.HEADER BODY.PEEK[TEXT]<5.8>)";

    [Fact]
    public async Task Header_sections_need_no_summary_and_older_rows_read_the_same()
    {
        await using var server = await ImapTestServer.StartAsync();
        var alice = await server.AddUserAsync("alice");
        await server.DeliverAsync(alice, Encoding.ASCII.GetBytes(Message));
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.CommandAsync("l", $"LOGIN alice@{ImapTestServer.Domain} {ImapTestServer.Password}");
        await c.CommandAsync("s", "SELECT INBOX");

        var expected = await c.CommandAsync("f1", Fetch);
        var text = string.Join("\n", expected);
        Assert.Contains("BODY[HEADER.FIELDS (SUBJECT X-FOLDED)] {45}\nSubject: Header size\nX-Folded: one\n two\n\n BODY[HEADER] {101}", text, StringComparison.Ordinal);
        Assert.Contains("BODY[TEXT] {30}\nBody line one\nBody line two\n RFC822.HEADER {101}", text, StringComparison.Ordinal);
        Assert.Contains("BODY[TEXT]<5> {8}\nline one)", text, StringComparison.Ordinal);
        Assert.Equal(Message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, HeaderSize(server));
        await c.CommandAsync("c", "COPY 1 Drafts");
        Assert.Equal(HeaderSize(server), Scalar(server, "SELECT m.header_size FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.name = 'Drafts'"));

        // Without a summary the same bytes come back, and none is made: the row was enough.
        Sql(server, "DELETE FROM message_summaries");
        Assert.Equal(expected, await c.CommandAsync("f1", Fetch));
        Assert.Equal(0L, Scalar(server, "SELECT count(*) FROM message_summaries"));

        // A row from before the column, without a summary: parsed, summary and size saved.
        Sql(server, "UPDATE messages SET header_size = NULL");
        Assert.Equal(expected, await c.CommandAsync("f1", Fetch));
        Assert.Equal(1L, Scalar(server, "SELECT count(*) FROM message_summaries")); // one per body: the copy shares it
        Assert.Equal(Message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, HeaderSize(server));

        // A row from before the column, with its summary: read from the summary.
        Sql(server, "UPDATE messages SET header_size = NULL");
        Assert.Equal(expected, await c.CommandAsync("f1", Fetch));
    }

    private static long? HeaderSize(ImapTestServer server) => Scalar(server, "SELECT m.header_size FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.name = 'INBOX'") is long n ? n : null;

    private static object? Scalar(ImapTestServer server, string sql)
    {
        using var c = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() is var v and not DBNull ? v : null;
    }

    private static void Sql(ImapTestServer server, string sql) => Scalar(server, sql);
}
