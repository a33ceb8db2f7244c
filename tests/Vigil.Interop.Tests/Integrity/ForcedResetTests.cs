using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Integrity;

/// <summary><c>vigil user force-reset</c> run as a separate process against a running server, with
/// MailKit and Python's smtplib/poplib as the clients.</summary>
public sealed class ForcedResetTests : IAsyncLifetime
{
    private const string NewPassword = "a-brand-new-passphrase-7";
    private readonly WebhookReceiver _webhook = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(c =>
    {
        c.Integrity.ControlPollMilliseconds = 200;
        c.Alerts.WebhookUrl = _webhook.Url;
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _webhook.Dispose();
    }

    private Task<ExternalTool.Result> Cli(params string[] args) => VigilCli.RunAsync(_server.Data.Root, args);

    private async Task<string> PythonLoginAsync(string protocol, string user, string password)
    {
        var r = await ExternalTool.RunAsync("python3", [Path.Combine(AppContext.BaseDirectory, "python", "login_check.py"), protocol, "127.0.0.1",
            _server.Port(protocol == "smtp" ? "submission" : protocol).ToString(), user, password]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    private async Task<Pop3Client> Pop3Async(string user)
    {
        var c = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 10_000 };
        await c.ConnectAsync("127.0.0.1", _server.Port("pop3"), SecureSocketOptions.StartTls);
        await c.AuthenticateAsync(user, TestServer.Password);
        return c;
    }

    private static async Task<bool> EndedWithinAsync(Func<Task> probe, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await probe();
            }
#pragma warning disable CA1031 // any failure means the server ended the session
            catch (Exception)
            {
                return true;
            }
#pragma warning restore CA1031
            await Task.Delay(200);
        }
        return false;
    }

    [Fact]
    public async Task Forced_reset_ends_sessions_refuses_the_old_password_with_reasons_until_passwd()
    {
        await _server.AddUserAsync("alice");
        await _server.AddUserAsync("bob");
        using var alicePop = await Pop3Async("alice@example.test");
        using var bobPop = await Pop3Async("bob@example.test");
        using var aliceImap = new ImapClient { Timeout = 10_000 };
        await aliceImap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
        await aliceImap.AuthenticateAsync("alice@example.test", TestServer.Password);
        await aliceImap.Inbox.OpenAsync(MailKit.FolderAccess.ReadWrite);
        using var aliceSmtp = new SmtpClient { Timeout = 10_000 };
        await aliceSmtp.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.None);
        await aliceSmtp.AuthenticateAsync("alice@example.test", TestServer.Password);

        var reset = await Cli("user", "force-reset", "alice@example.test");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Contains("expired alice@example.test", reset.Stdout, StringComparison.Ordinal);

        Assert.True(await EndedWithinAsync(() => alicePop.NoOpAsync(), TimeSpan.FromSeconds(10)), "alice's POP3 session was not ended");
        Assert.True(await EndedWithinAsync(() => aliceSmtp.NoOpAsync(), TimeSpan.FromSeconds(5)), "alice's SMTP session was not ended");
        Assert.True(await EndedWithinAsync(() => aliceImap.NoOpAsync(), TimeSpan.FromSeconds(5)), "alice's IMAP session was not ended");
        await bobPop.NoOpAsync(); // someone else's session carries on
        Assert.Equal(0, await bobPop.GetMessageCountAsync());

        Assert.Equal("FAIL 535 5.7.8 Password expired: an administrator must set a new password before you can log in", await PythonLoginAsync("smtp", "alice@example.test", TestServer.Password));
        Assert.Equal("FAIL -ERR [AUTH] Password expired; set a new password before fetching mail", await PythonLoginAsync("pop3", "alice@example.test", TestServer.Password));
        Assert.Equal("FAIL [EXPIRED] Password expired; set a new one first", await PythonLoginAsync("imap", "alice@example.test", TestServer.Password));
        var transcript = new MemoryStream();
        using (var imap = new ImapClient(new MailKit.ProtocolLogger(transcript, leaveOpen: true)) { Timeout = 10_000 })
        {
            await imap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
            // one SASL mechanism: MailKit would otherwise try each advertised one in turn
            await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(new SaslMechanismPlain("alice@example.test", TestServer.Password)));
        }
        Assert.Contains("NO [EXPIRED] Password expired", System.Text.Encoding.ASCII.GetString(transcript.ToArray()), StringComparison.Ordinal);
        using (var mailkit = new SmtpClient { Timeout = 10_000 })
        {
            await mailkit.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.None);
            var refused = await Assert.ThrowsAsync<AuthenticationException>(() => mailkit.AuthenticateAsync("alice@example.test", TestServer.Password));
            Assert.Contains("Password expired", refused.Message, StringComparison.Ordinal);
        }
        await bobPop.DisconnectAsync(true); // releases bob's maildrop lock
        Assert.Equal("OK", await PythonLoginAsync("pop3", "bob@example.test", TestServer.Password));
        Assert.Contains("alice@example.test\tused 0B\tquota unlimited\tpassword-expired", (await Cli("user", "list")).Stdout, StringComparison.Ordinal);

        var passwd = await VigilCli.RunWithInputAsync(_server.Data.Root, NewPassword + "\n", "user", "passwd", "--password-stdin", "alice@example.test");
        Assert.True(passwd.ExitCode == 0, passwd.ToString());
        Assert.Equal("OK", await PythonLoginAsync("smtp", "alice@example.test", NewPassword));
        Assert.Equal("OK", await PythonLoginAsync("pop3", "alice@example.test", NewPassword));
        Assert.Equal("OK", await PythonLoginAsync("imap", "alice@example.test", NewPassword));
        using (var imap = new ImapClient { Timeout = 10_000 })
        {
            await imap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
            await imap.AuthenticateAsync("alice@example.test", NewPassword);
            await imap.Inbox.OpenAsync(MailKit.FolderAccess.ReadOnly);
        }
        using (var mailkit = new SmtpClient { Timeout = 10_000 })
        {
            await mailkit.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.None);
            await mailkit.AuthenticateAsync("alice@example.test", NewPassword);
        }
        Assert.StartsWith("FAIL 535 5.7.8 Authentication credentials invalid", await PythonLoginAsync("smtp", "alice@example.test", TestServer.Password), StringComparison.Ordinal);

        var audit = (await Cli("audit", "show", "--action", "user.force_reset")).Stdout;
        Assert.Contains("alice@example.test", audit, StringComparison.Ordinal);
        Assert.Contains("alert.account.force_reset", (await Cli("audit", "show", "--action", "alert.")).Stdout, StringComparison.Ordinal);
        var hook = await _webhook.WaitForAsync("account.force_reset", "alice@example.test");
        Assert.Contains("1 account(s) must set a new password", hook.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scopes_domain_and_all_and_bad_invocations()
    {
        await _server.AddUserAsync("alice");
        await _server.Get<Vigil.Core.Storage.IDirectoryStore>().AddDomainAsync("other.test", CancellationToken.None);
        await _server.Get<Vigil.Core.Accounts.AccountService>().CreateAsync(new Vigil.Core.Addressing.EmailAddress("carol", "other.test"), TestServer.Password, 0, false, CancellationToken.None);

        Assert.Equal(1, (await Cli("user", "force-reset")).ExitCode);
        Assert.Equal(1, (await Cli("user", "force-reset", "--all", "alice@example.test")).ExitCode);
        var unknown = await Cli("user", "force-reset", "alice@example.test", "nobody@example.test");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no such account: nobody@example.test", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal("OK", await PythonLoginAsync("smtp", "alice@example.test", TestServer.Password)); // nothing changed
        Assert.Equal(1, (await Cli("user", "force-reset", "--domain", "nowhere.test")).ExitCode);

        var domain = await Cli("user", "force-reset", "--domain", "other.test");
        Assert.True(domain.ExitCode == 0, domain.ToString());
        Assert.Contains("1 account(s)", domain.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("FAIL 535 5.7.8 Password expired", await PythonLoginAsync("smtp", "carol@other.test", TestServer.Password), StringComparison.Ordinal);
        Assert.Equal("OK", await PythonLoginAsync("smtp", "alice@example.test", TestServer.Password));

        var all = await Cli("user", "force-reset", "--all");
        Assert.Contains("2 account(s)", all.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("FAIL 535 5.7.8 Password expired", await PythonLoginAsync("smtp", "alice@example.test", TestServer.Password), StringComparison.Ordinal);
        await _webhook.WaitForAsync("account.force_reset", "all accounts");
    }
}
