using System.Text;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>Bounds that end a session (issue 3 §8): failed logins (counted by the login service
/// for the auto-ban), idle timeouts, too many errors, endless lines; none of them disturbs other sessions.</summary>
public sealed class SessionBoundsTests
{
    [Fact]
    public async Task Failed_logins_are_counted_and_end_the_session()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice");
        await using var other = await RawImapClient.ConnectAsync(server.EndPoint);
        await other.ReadLineAsync();
        Assert.EndsWith("] Logged in", (await other.CommandAsync("o1", "LOGIN alice@example.test secret"))[^1]);

        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        Assert.Equal(["a1 NO [AUTHENTICATIONFAILED] Authentication failed"], await c.CommandAsync("a1", "LOGIN alice@example.test nope"));
        Assert.Equal(["a2 NO [AUTHENTICATIONFAILED] Authentication failed"], await c.CommandAsync("a2", "AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUudGVzdAB4"));
        Assert.Equal(["* BYE Too many authentication failures", "a3 NO [AUTHENTICATIONFAILED] Authentication failed"], await c.CommandAsync("a3", "LOGIN nobody@example.test x"));
        Assert.Null(await c.ReadLineAsync());

        var failures = server.Attempts.All.Where(a => !a.Success).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal("imap", f.Protocol));
        Assert.Equal("nobody@example.test", failures[^1].User);
        // The other session is unaffected.
        Assert.Equal(["o2 OK NOOP completed"], await other.CommandAsync("o2", "NOOP"));
    }

    [Fact]
    public async Task Authenticate_plain_with_continuation_and_cancel()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice");
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.SendAsync("a1 AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await c.ReadLineAsync());
        await c.SendAsync("*\r\n");
        Assert.Equal("a1 BAD Authentication cancelled", await c.ReadLineAsync());
        await c.SendAsync("a2 AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await c.ReadLineAsync());
        await c.SendAsync(Convert.ToBase64String("\0alice@example.test\0secret"u8.ToArray()) + "\r\n");
        Assert.StartsWith("a2 OK [CAPABILITY IMAP4rev1 IMAP4rev2 ", await c.ReadLineAsync());
    }

    [Fact]
    public async Task Without_tls_remote_logins_are_disabled()
    {
        await using var server = await ImapTestServer.StartAsync(o => o with { AllowPlaintextAuthOnLoopback = false });
        await server.AddUserAsync("alice");
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        var greeting = await c.ReadLineAsync();
        Assert.Contains(" LOGINDISABLED ", greeting);
        Assert.DoesNotContain("AUTH=", greeting);
        Assert.Equal(["a1 NO [PRIVACYREQUIRED] Log in only after STARTTLS"], await c.CommandAsync("a1", "LOGIN alice@example.test secret"));
        Assert.Equal(["a2 NO [PRIVACYREQUIRED] Authenticate only after STARTTLS"], await c.CommandAsync("a2", "AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ="));
        Assert.Empty(server.Attempts.All);
        Assert.Equal(["a3 BAD TLS is not available"], await c.CommandAsync("a3", "STARTTLS"));
    }

    [Fact]
    public async Task Idle_clients_are_logged_out()
    {
        await using var server = await ImapTestServer.StartAsync(o => o with { PreAuthTimeout = TimeSpan.FromMilliseconds(300) });
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        Assert.Equal("* BYE Autologout; idle for too long", await c.ReadLineAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task Too_many_errors_and_endless_lines_end_the_session()
    {
        await using var server = await ImapTestServer.StartAsync(o => o with { MaxErrors = 3, MaxLineLength = 1024 });
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.SendAsync("a1 NOOP " + new string('x', 2000) + "\r\n");
        Assert.Equal("* BYE [TOOBIG] Line too long", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());

        await using var e = await RawImapClient.ConnectAsync(server.EndPoint);
        await e.ReadLineAsync();
        for (var i = 0; i < 3; i++) await e.CommandAsync("b" + i, "BOGUS");
        await e.SendAsync("b3 BOGUS\r\n");
        Assert.Equal("b3 BAD Unknown command", await e.ReadLineAsync());
        Assert.Equal("* BYE Too many invalid commands", await e.ReadLineAsync());
        Assert.Null(await e.ReadLineAsync());

        await using var d = await RawImapClient.ConnectAsync(server.EndPoint);
        await d.ReadLineAsync();
        var endless = new byte[256 * 1024];
        Array.Fill(endless, (byte)'x');
        try
        {
            for (var i = 0; i < 8; i++) await d.SendAsync(endless);
        }
        catch (IOException)
        {
            // the server may hang up while we are still sending
        }
        Assert.Equal("* BYE Input exceeds the limits", await d.ReadLineAsync());
    }

    [Fact]
    public async Task Oversized_non_synchronizing_literals_are_refused()
    {
        await using var server = await ImapTestServer.StartAsync(o => o with { AppendLimit = 100_000 });
        await server.AddUserAsync("alice");
        // A literal the client sends without waiting (LITERAL+, RFC 7888 §4) cannot be refused
        // before it arrives: beyond the command limit (1 MiB) or APPENDLIMIT its octets are
        // skipped, the command is refused and the session goes on; one too large to skip (beyond
        // APPENDLIMIT + 1 MiB) ends the session.
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.SendAsync(Encoding.ASCII.GetBytes("a1 LOGIN {1050000+}\r\n").Concat(new byte[1_050_000]).Concat(" x\r\na2 NOOP\r\n"u8.ToArray()).ToArray());
        Assert.Equal("a1 BAD Literal too large", await c.ReadLineAsync());
        Assert.Equal("a2 OK NOOP completed", await c.ReadLineAsync());
        await c.CommandAsync("l", "LOGIN alice@example.test secret");
        await c.SendAsync("a3 APPEND INBOX {200000+}\r\n" + new string('x', 200_000) + "\r\n");
        Assert.Equal("a3 NO [TOOBIG] Message too large", await c.ReadLineAsync());
        Assert.Equal(["a4 OK NOOP completed"], await c.CommandAsync("a4", "NOOP"));
        await c.SendAsync("a5 APPEND INBOX {5000000+}\r\n" + new string('x', 1000));
        Assert.Equal("* BYE Input exceeds the limits", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice");
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        // One command runs at a time and answers are flushed as they fill the output, so a client
        // that pipelines 2,000 commands in one write gets 2,000 answers in order and no more is
        // buffered than the socket holds.
        await c.SendAsync(string.Concat(Enumerable.Range(0, 2000).Select(i => $"p{i} NOOP\r\n")));
        for (var i = 0; i < 2000; i++) Assert.Equal($"p{i} OK NOOP completed", await c.ReadLineAsync());
    }

    [Fact]
    public async Task Authenticated_idle_clients_are_logged_out()
    {
        await using var server = await ImapTestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await server.AddUserAsync("alice");
        await using var c = await RawImapClient.ConnectAsync(server.EndPoint);
        await c.ReadLineAsync();
        await c.CommandAsync("a1", "LOGIN alice@example.test secret");
        await c.CommandAsync("a2", "SELECT INBOX");
        await c.SendAsync("a3 IDLE\r\n");
        Assert.Equal("+ idling", await c.ReadLineAsync());
        // RFC 9051 §5.4: the autologout timer (30 minutes by default, shortened here) covers IDLE too.
        Assert.Equal("* BYE Autologout; idle for too long", await c.ReadLineAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task A_message_nested_thousands_of_levels_deep_is_stored_and_shown()
    {
        await using var server = await ImapTestServer.StartAsync();
        await using var c = await server.LoggedInAsync("alice");
        // MIME nesting is parsed to 100 levels (MimeLimits, as Dovecot): before, this APPEND
        // overflowed the stack and ended the server process, and 31 levels already gave SERVERBUG.
        const int depth = 3000;
        var sb = new StringBuilder("Subject: deep\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (var i = 0; i < depth; i++) sb.Append($"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i + 1}\r\n\r\n");
        sb.Append($"--b{depth}\r\nContent-Type: text/plain\r\n\r\nx\r\n--b{depth}--\r\n");
        for (var i = depth - 1; i >= 0; i--) sb.Append($"--b{i}--\r\n");
        await c.SendAsync($"a1 APPEND INBOX {{{sb.Length}+}}\r\n{sb}\r\n");
        Assert.StartsWith("a1 OK [APPENDUID ", await c.ReadLineAsync());
        await c.CommandAsync("a2", "SELECT INBOX");
        var fetched = await c.CommandAsync("a3", "FETCH 1 BODYSTRUCTURE");
        Assert.StartsWith("* 1 FETCH (BODYSTRUCTURE (((", fetched[0]);
        Assert.Equal("a3 OK FETCH completed", fetched[^1]);
    }
}
