using System.Text;
using Vigil.Protocols.Pop3.Session;
using Vigil.Protocols.Pop3.Tests.Support;

namespace Vigil.Protocols.Pop3.Tests.Session;

/// <summary>Authentication accounting, timeouts, TLS ports and bounds.</summary>
public sealed class SessionLimitsTests
{
    [Fact]
    public async Task Every_login_attempt_reaches_the_auto_ban_observer()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await using var c = await server.ConnectAsync();
        Assert.StartsWith("+OK", await c.ReadLineAsync());
        await c.CommandAsync("USER alice@example.test");
        Assert.Equal("-ERR [AUTH] Authentication failed", await c.CommandAsync("PASS nope"));
        await c.CommandAsync("USER alice@example.test");
        Assert.StartsWith("+OK", await c.CommandAsync("PASS " + Pop3TestServer.Password));

        var attempts = server.Attempts.All;
        Assert.Equal([false, true], attempts.Select(a => a.Success));
        Assert.All(attempts, a => Assert.Equal("pop3", a.Protocol));
        Assert.All(attempts, a => Assert.Equal("alice@example.test", a.User));
    }

    [Fact]
    public async Task An_expired_password_is_refused_with_the_auth_code()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await server.Directory.SetPasswordAsync(server.Alice.Id, server.Alice.PasswordHash, expired: true, default);
        await using var c = await server.ConnectAsync();
        Assert.StartsWith("+OK", await c.ReadLineAsync());
        await c.CommandAsync("USER alice@example.test");
        Assert.Equal("-ERR [AUTH] Password expired; set a new password before fetching mail", await c.CommandAsync("PASS " + Pop3TestServer.Password));
        Assert.False(Assert.Single(server.Attempts.All).Success);
        Assert.False(server.Services.Locks.IsHeld(server.Alice.Id));
    }

    [Fact]
    public async Task Idle_clients_are_logged_out_without_deleting()
    {
        await using var server = await Pop3TestServer.StartAsync(new Pop3ServerOptions { Hostname = "pop3.example.test", CommandTimeout = TimeSpan.FromMilliseconds(300) });
        await server.DeliverAsync(server.Alice, "Subject: x\r\n\r\ny\r\n"u8.ToArray());
        await using var c = await server.ConnectAsync();
        await c.LoginAsync("alice@example.test", Pop3TestServer.Password);
        Assert.StartsWith("+OK", await c.CommandAsync("DELE 1"));
        Assert.Equal("-ERR Autologout: idle for too long", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
        Assert.Single(await server.InboxMessagesAsync(server.Alice));
    }

    [Fact]
    public void The_default_autologout_is_at_least_ten_minutes() =>
        Assert.True(new Pop3ServerOptions { Hostname = "x" }.CommandTimeout >= TimeSpan.FromMinutes(10)); // RFC 1939 §3

    [Fact]
    public async Task Implicit_tls_port_allows_login_and_hides_stls()
    {
        await using var server = await Pop3TestServer.StartAsync(
            new Pop3ServerOptions { Hostname = "pop3.example.test", AllowPlaintextLoginFromLoopback = false }, implicitTls: true);
        await using var c = await server.ConnectAsync(tls: true);
        Assert.StartsWith("+OK", await c.ReadLineAsync());
        Assert.StartsWith("+OK", await c.CommandAsync("CAPA"));
        var caps = await c.ReadMultiLineAsync();
        Assert.Contains("SASL PLAIN", caps);
        Assert.DoesNotContain("STLS", caps);
        Assert.StartsWith("+OK", await c.CommandAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice@example.test\0" + Pop3TestServer.Password))));
    }

    [Fact]
    public async Task Too_many_commands_before_login_close_the_connection()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await using var c = await server.ConnectAsync();
        Assert.StartsWith("+OK", await c.ReadLineAsync());
        await c.SendRawAsync(string.Concat(Enumerable.Repeat("CAPA\r\n", 31)));
        for (var i = 0; i < 30; i++)
        {
            Assert.StartsWith("+OK", await c.ReadLineAsync());
            await c.ReadMultiLineAsync();
        }
        Assert.Equal("-ERR Too many commands before login; closing connection", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task A_line_without_end_is_cut_off()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await using var c = await server.ConnectAsync();
        Assert.StartsWith("+OK", await c.ReadLineAsync());
        var junk = new string('x', 64 * 1024);
        try
        {
            for (var i = 0; i < 20; i++) await c.SendRawAsync(junk);
        }
        catch (IOException)
        {
            // the server may close while we are still sending
        }
        Assert.Equal("-ERR Line too long; closing connection", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task Shutdown_says_so_and_deletes_nothing()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await server.DeliverAsync(server.Alice, "Subject: x\r\n\r\ny\r\n"u8.ToArray());
        await using var c = await server.ConnectAsync();
        await c.LoginAsync("alice@example.test", Pop3TestServer.Password);
        Assert.StartsWith("+OK", await c.CommandAsync("DELE 1"));
        var stop = server.StopListenerAsync();
        Assert.Equal("-ERR [SYS/TEMP] Server shutting down; nothing was deleted", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
        await stop;
        Assert.Single(await server.InboxMessagesAsync(server.Alice));
    }
}
