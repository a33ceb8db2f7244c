using System.Net.Security;
using System.Text;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Smtp;

/// <summary>Bad and abusive input: each gets its protocol error and nothing accepted is lost.</summary>
public sealed class SmtpBoundsTests
{
    private static async Task<RawClient> OpenTransactionAsync(TestServer server, string rcpt = "bob@example.test")
    {
        var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        Assert.StartsWith("220", await c.ReadReplyAsync());
        Assert.StartsWith("250", await c.CommandAsync("EHLO raw.test"));
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<x@remote.test>"));
        Assert.StartsWith("250", await c.CommandAsync($"RCPT TO:<{rcpt}>"));
        return c;
    }

    [Fact]
    public async Task Client_vanishing_mid_data_leaves_nothing_behind()
    {
        await using var server = await TestServer.StartAsync();
        var bob = await server.AddUserAsync("bob");
        var c = await OpenTransactionAsync(server);
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        await c.SendAsync("Subject: half\r\n\r\n" + new string('y', 200_000));
        await c.DisposeAsync();
        var tmp = Path.Combine(server.Data.Blobs, "tmp");
        for (var i = 0; i < 100 && Directory.EnumerateFiles(tmp).Any(); i++) await Task.Delay(50);
        Assert.Empty(Directory.EnumerateFiles(tmp));
        Assert.Empty(await server.InboxAsync(bob));
        Assert.Empty(Directory.EnumerateDirectories(server.Data.Blobs).Where(d => Path.GetFileName(d) != "tmp"));
    }

    [Fact]
    public async Task Oversized_message_gets_552_and_session_continues()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxMessageBytes = 10_000);
        var bob = await server.AddUserAsync("bob");
        await using var c = await OpenTransactionAsync(server);
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        await c.SendAsync("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('z', 500) + "\r\n", 40)) + ".\r\n");
        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", await c.ReadReplyAsync());
        Assert.StartsWith("250", await c.CommandAsync("NOOP"));
        Assert.Empty(await server.InboxAsync(bob));
    }

    [Fact]
    public async Task Declared_size_over_limit_is_refused_at_mail()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxMessageBytes = 10_000);
        await using var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        await c.ReadReplyAsync();
        await c.CommandAsync("EHLO raw.test");
        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", await c.CommandAsync("MAIL FROM:<x@remote.test> SIZE=20000"));
    }

    [Fact]
    public async Task Text_line_over_1000_octets_is_rejected_whole()
    {
        await using var server = await TestServer.StartAsync();
        var bob = await server.AddUserAsync("bob");
        await using var c = await OpenTransactionAsync(server);
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        await c.SendAsync("Subject: long\r\n\r\n" + new string('w', 1001) + "\r\n.\r\n");
        Assert.StartsWith("500 5.5.2", await c.ReadReplyAsync());
        Assert.Empty(await server.InboxAsync(bob));
    }

    [Fact]
    public async Task Quota_full_account_gets_452_and_declared_oversize_552()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("small", quota: 1000);
        await using var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        await c.ReadReplyAsync();
        await c.CommandAsync("EHLO raw.test");
        await c.CommandAsync("MAIL FROM:<x@remote.test> SIZE=5000");
        Assert.Equal("552 5.2.2 Mailbox full", await c.CommandAsync("RCPT TO:<small@example.test>"));
        await c.CommandAsync("RSET");
        await c.CommandAsync("MAIL FROM:<x@remote.test>");
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<small@example.test>"));
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        await c.SendAsync("Subject: fill\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('q', 100) + "\r\n", 12)) + ".\r\n");
        Assert.StartsWith("250", await c.ReadReplyAsync());
        await c.CommandAsync("MAIL FROM:<x@remote.test>");
        Assert.Equal("452 4.2.2 Mailbox full", await c.CommandAsync("RCPT TO:<small@example.test>"));
    }

    [Fact]
    public async Task Bytes_pipelined_after_starttls_are_discarded()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        await c.ReadReplyAsync();
        await c.CommandAsync("EHLO raw.test");
        // The injected RSET/MAIL must not be executed inside the TLS session (CVE-2011-0411 class).
        await c.SendAsync("STARTTLS\r\nMAIL FROM:<injected@remote.test>\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS", await c.ReadReplyAsync());
        using var tls = new SslStream(c.Stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("mail.example.test");
        var reader = new StreamReader(tls, Encoding.ASCII);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("EHLO raw.test\r\n"));
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && line.StartsWith("250-", StringComparison.Ordinal)) { }
        Assert.StartsWith("250 ", line);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("RCPT TO:<bob@example.test>\r\n"));
        Assert.Equal("503 5.5.1 MAIL first", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task Plaintext_auth_is_refused_when_loopback_is_not_trusted()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.AllowPlaintextAuthOnLoopback = false);
        await using var c = await RawClient.ConnectAsync(server.EndPoint("submission"));
        await c.ReadReplyAsync();
        await c.SendAsync("EHLO raw.test\r\n");
        var lines = new List<string>();
        string? l;
        while ((l = await c.ReadLineAsync()) is not null) { lines.Add(l); if (l[3] == ' ') break; }
        Assert.DoesNotContain(lines, x => x.Contains("AUTH", StringComparison.Ordinal));
        Assert.Contains(lines, x => x.Contains("STARTTLS", StringComparison.Ordinal));
        Assert.Equal("538 5.7.11 Encryption required for requested authentication mechanism", await c.CommandAsync("AUTH PLAIN AGJvYkBleGFtcGxlLnRlc3QAeA=="));
    }

    [Fact]
    public async Task Connections_per_ip_are_bounded()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxConnectionsPerIp = 3);
        var open = new List<RawClient>();
        for (var i = 0; i < 3; i++)
        {
            var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
            Assert.StartsWith("220", await c.ReadReplyAsync());
            open.Add(c);
        }
        await using var extra = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        Assert.Equal("421 4.7.0 mail.example.test too many connections", await extra.ReadReplyAsync());
        foreach (var c in open) await c.DisposeAsync();
    }

    [Fact]
    public async Task Idle_client_is_dropped_after_the_command_timeout()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.CommandTimeoutSeconds = 1);
        await using var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        Assert.StartsWith("220", await c.ReadReplyAsync());
        Assert.Equal("421 4.4.2 Timeout exceeded, closing connection", await c.ReadReplyAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task Aliases_catch_all_and_plus_addressing_route_to_accounts()
    {
        await using var server = await TestServer.StartAsync();
        var bob = await server.AddUserAsync("bob");
        var carol = await server.AddUserAsync("carol");
        var directory = server.Get<IDirectoryStore>();
        await directory.AddAliasAsync("sales", TestServer.Domain, "bob@example.test", default);
        await directory.AddAliasAsync("sales", TestServer.Domain, "carol@example.test", default);
        await directory.AddAliasAsync("*", TestServer.Domain, "carol@example.test", default);
        foreach (var rcpt in new[] { "sales@example.test", "bob+news@example.test", "whoever@example.test" })
        {
            await using var c = await OpenTransactionAsync(server, rcpt);
            Assert.StartsWith("354", await c.CommandAsync("DATA"));
            await c.SendAsync($"Subject: to {rcpt}\r\n\r\nx\r\n.\r\n");
            Assert.StartsWith("250", await c.ReadReplyAsync());
        }
        Assert.Equal(["to bob+news@example.test", "to sales@example.test"], (await server.InboxAsync(bob)).Select(m => m.Subject!).Order());
        Assert.Equal(["to sales@example.test", "to whoever@example.test"], (await server.InboxAsync(carol)).Select(m => m.Subject!).Order());
    }
}
