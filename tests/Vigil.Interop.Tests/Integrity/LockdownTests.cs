using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;
using Vigil.Core.Outbound;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Integrity;

/// <summary><c>vigil lockdown</c>, engaged by the CLI in its own process against a running server,
/// observed with raw sockets, MailKit, swaks and a real Postfix peer.</summary>
public sealed class LockdownTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(c => c.Integrity.ControlPollMilliseconds = 200);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ExternalTool.Result> Cli(params string[] args) => VigilCli.RunAsync(_server.Data.Root, args);

    private static MimeMessage Message(string from, string to, string subject)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = "sent while the server was locked down" };
        return m;
    }

    /// <summary>The first line a new SMTP connection gets, retried until <paramref name="expected"/>
    /// shows up (the server applies changes within one poll interval).</summary>
    private async Task<string?> GreetingAsync(string expectedPrefix)
    {
        string? line = null;
        for (var i = 0; i < 50; i++)
        {
            await using var c = await RawClient.ConnectAsync(_server.EndPoint("smtp"));
            line = await c.ReadLineAsync();
            if (line?.StartsWith(expectedPrefix, StringComparison.Ordinal) == true) return line;
            await Task.Delay(100);
        }
        return line;
    }

    [Fact]
    public async Task Cli_lockdown_ends_open_sessions_refuses_new_work_pauses_outbound_and_lifts()
    {
        await _server.AddUserAsync("alice");
        await using var open = await RawClient.ConnectAsync(_server.EndPoint("smtp"));
        Assert.StartsWith("220 ", await open.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await open.CommandAsync("EHLO client.example.net"), StringComparison.Ordinal);
        await using var imap = await RawClient.ConnectAsync(_server.EndPoint("imap"));
        Assert.StartsWith("* OK ", await imap.ReadLineAsync(), StringComparison.Ordinal);
        await using var pop3 = await RawClient.ConnectAsync(_server.EndPoint("pop3"));
        Assert.StartsWith("+OK ", await pop3.ReadLineAsync(), StringComparison.Ordinal);
        using var mailkit = new SmtpClient { Timeout = 10_000 };
        await mailkit.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.None);
        await mailkit.AuthenticateAsync("alice@example.test", TestServer.Password);

        var on = await Cli("lockdown", "on", "--reason", "incident 42", "--allow", "192.0.2.0/24");
        Assert.True(on.ExitCode == 0, on.ToString());
        Assert.Contains("lockdown ON: incident 42", on.Stdout, StringComparison.Ordinal);

        // the open raw session is told why and closed
        Assert.Equal("421 4.3.2 mail.example.test locked down by the administrator: incident 42; try again later", await open.ReadLineAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await open.ReadLineAsync(TimeSpan.FromSeconds(5)));
        // the authenticated MailKit session is gone too
        await Assert.ThrowsAnyAsync<Exception>(() => mailkit.NoOpAsync());
        Assert.Equal("-ERR [SYS/TEMP] locked down by the administrator: incident 42; try again later; nothing was deleted", await pop3.ReadLineAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await pop3.ReadLineAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("* BYE locked down by the administrator: incident 42; try again later", await imap.ReadLineAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await imap.ReadLineAsync(TimeSpan.FromSeconds(5)));

        Assert.StartsWith("421 4.3.2 ", await GreetingAsync("421"), StringComparison.Ordinal);
        var swaks = await ExternalTool.RunAsync("swaks", ["--server", "127.0.0.1", "--port", _server.Port("smtp").ToString(), "--to", "alice@example.test", "--from", "x@remote.test"]);
        Assert.NotEqual(0, swaks.ExitCode);
        Assert.Contains("<** 421 4.3.2", swaks.Stdout + swaks.Stderr, StringComparison.Ordinal);
        Assert.True(_server.Get<OutboundPause>().IsPaused);
        await using (var newPop3 = await RawClient.ConnectAsync(_server.EndPoint("pop3")))
        {
            Assert.Equal("-ERR [SYS/TEMP] mail.example.test locked down by the administrator: incident 42; try again later", await newPop3.ReadLineAsync());
        }
        await using (var newImap = await RawClient.ConnectAsync(_server.EndPoint("imap")))
        {
            Assert.Equal("* BYE locked down by the administrator: incident 42; try again later", await newImap.ReadLineAsync());
        }
        using (var mailkitImap = new MailKit.Net.Imap.ImapClient { Timeout = 10_000 })
        {
            await Assert.ThrowsAnyAsync<Exception>(() => mailkitImap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None));
        }
        var poplib = await ExternalTool.RunAsync("python3", ["-c", "import poplib,sys\ntry:\n poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)\nexcept poplib.error_proto as e:\n print(e)", _server.Port("pop3").ToString()]);
        Assert.Contains("locked down by the administrator: incident 42", poplib.Stdout, StringComparison.Ordinal);

        var status = await Cli("lockdown", "status");
        Assert.Equal(3, status.ExitCode);
        Assert.Contains("ON since", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("192.0.2.0/24", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("lockdown   ON", (await Cli("status")).Stdout, StringComparison.Ordinal);

        var off = await Cli("lockdown", "off");
        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.StartsWith("220 ", await GreetingAsync("220"), StringComparison.Ordinal);
        Assert.False(_server.Get<OutboundPause>().IsPaused);
        Assert.Equal(0, (await Cli("lockdown", "status")).ExitCode);

        var audit = await Cli("audit", "show", "--action", "lockdown.");
        Assert.Contains("lockdown.on", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("lockdown.off", audit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_allow_network_is_refused_and_nothing_is_engaged()
    {
        var r = await Cli("lockdown", "on", "--reason", "x", "--allow", "not-a-network");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a network", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_server.Data.LockdownFile));
        Assert.Equal(1, (await Cli("lockdown", "on")).ExitCode); // --reason is required
    }

    [Fact]
    public async Task Lockdown_engaged_while_the_server_is_down_holds_across_restarts_until_lifted()
    {
        var (data, config) = TestServer.InitializeData(c => c.Integrity.ControlPollMilliseconds = 200);
        try
        {
            Assert.Equal(0, (await VigilCli.RunAsync(data.Root, "lockdown", "on", "--reason", "restart test")).ExitCode);
            for (var run = 0; run < 2; run++)
            {
                using var host = VigilServer.Build(data, config, l => l.SetMinimumLevel(LogLevel.Warning));
                await host.StartAsync();
                var smtp = host.Services.GetRequiredService<ListenersHostedService>().Listeners.Single(x => x.Name == "smtp").BoundEndPoint!;
                var ep = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, smtp.Port);
                await using (var c = await RawClient.ConnectAsync(ep))
                {
                    Assert.Equal("421 4.3.2 mail.example.test locked down by the administrator: restart test; try again later", await c.ReadLineAsync());
                }
                if (run == 1)
                {
                    Assert.Equal(0, (await VigilCli.RunAsync(data.Root, "lockdown", "off")).ExitCode);
                    string? greeting = null;
                    for (var i = 0; i < 50 && greeting?.StartsWith("220", StringComparison.Ordinal) != true; i++)
                    {
                        await Task.Delay(100);
                        await using var c = await RawClient.ConnectAsync(ep);
                        greeting = await c.ReadLineAsync();
                    }
                    Assert.StartsWith("220 ", greeting, StringComparison.Ordinal);
                }
                await host.StopAsync();
            }
        }
        finally
        {
            try { Directory.Delete(data.Root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_real_postfix_peer_retries_during_lockdown_and_delivers_after_release()
    {
        Assert.True(PostfixPeer.Available, "needs root and the postfix package (scripts/install-test-deps.sh)");
        var bob = await _server.AddUserAsync("bob");
        Assert.Equal(0, (await Cli("lockdown", "on", "--reason", "postfix test")).ExitCode);
        Assert.StartsWith("421", await GreetingAsync("421"), StringComparison.Ordinal);

        await using var postfix = await PostfixPeer.StartAsync(TestServer.Domain, _server.Port("smtp"));
        using (var client = new SmtpClient { Timeout = 10_000 })
        {
            await client.ConnectAsync("127.0.0.1", postfix.Port, SecureSocketOptions.None);
            await client.SendAsync(Message("carol@peer.example.net", "bob@example.test", "queued at the peer"));
            await client.DisconnectAsync(true);
        }

        // Postfix tries, is told 421 4.3.2, keeps the message and tries again.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (CountDeferrals(postfix.Log()) < 2 && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.True(CountDeferrals(postfix.Log()) >= 2, postfix.Log());
        Assert.Empty(await _server.InboxAsync(bob));
        Assert.Contains("bob@example.test", await postfix.QueueAsync(), StringComparison.Ordinal);

        Assert.Equal(0, (await Cli("lockdown", "off")).ExitCode);
        await GreetingAsync("220");
        deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await _server.InboxAsync(bob)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }
        var delivered = Assert.Single(await _server.InboxAsync(bob));
        Assert.Equal("queued at the peer", delivered.Subject);
        Assert.Contains("status=sent", postfix.Log(), StringComparison.Ordinal);
    }

    private static int CountDeferrals(string log) =>
        log.Split('\n').Count(l => l.Contains("status=deferred", StringComparison.Ordinal) && l.Contains("421 4.3.2", StringComparison.Ordinal));
}

/// <summary>Outbound delivery holds during a lockdown and resumes after it, with Postfix's
/// smtp-sink as the remote MX (the outbound tests' fake Internet).</summary>
public sealed class LockdownOutboundTests
{
    [Fact]
    public async Task Queued_mail_waits_during_lockdown_and_leaves_after_release()
    {
        await using var s = await Vigil.Interop.Tests.Outbound.OutboundScenario.StartAsync();
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "held by lockdown"), StringComparison.Ordinal);
        await s.AttemptedAsync(1); // no MX is listening yet: the message waits in the queue

        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "lockdown", "on", "--reason", "outbound test")).ExitCode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!s.Server.Get<OutboundPause>().IsPaused && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(s.Server.Get<OutboundPause>().IsPaused);
        var sink = await s.SinkAsync(Vigil.Interop.Tests.Outbound.Peers.Loopback.Mx1);
        await Task.Delay(TimeSpan.FromSeconds(4)); // retries are due every second; none may go out
        Assert.Empty(sink.Messages());
        Assert.Single(await s.QueueAsync());

        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "lockdown", "off")).ExitCode);
        await s.WaitForEmptyQueueAsync();
        Assert.Contains("Subject: held by lockdown", Assert.Single(sink.Messages()), StringComparison.Ordinal);
    }
}
