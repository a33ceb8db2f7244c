using System.Net;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Accounts;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Security.Auth;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>App passwords made with the real <c>vigil user app-password</c> command line against a
/// running server, used by MailKit (IMAP, SMTP submission) and Python's imaplib, poplib and smtplib.</summary>
public sealed class AppPasswordTests : IAsyncLifetime
{
    private const string Alice = "alice@example.test";
    private readonly WebhookReceiver _webhook = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(c =>
    {
        c.Integrity.ControlPollMilliseconds = 200;
        c.Integrity.PrincipalCheckSeconds = 1;
        c.Alerts.WebhookUrl = _webhook.Url;
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _webhook.Dispose();
    }

    private Task<ExternalTool.Result> Cli(params string[] args) => VigilCli.RunAsync(_server.Data.Root, args);

    private async Task<string> AddAsync(string address, string name)
    {
        var r = await Cli("user", "app-password", "add", address, name);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();
    }

    private async Task<string> PythonLoginAsync(string protocol, string user, string password)
    {
        var r = await ExternalTool.RunAsync("python3", [Path.Combine(AppContext.BaseDirectory, "python", "login_check.py"), protocol, "127.0.0.1",
            _server.Port(protocol == "smtp" ? "submission" : protocol).ToString(), user, password]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    private async Task SendWithMailKitAsync(string password)
    {
        using var smtp = new SmtpClient { Timeout = 10_000 };
        await smtp.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.None);
        await smtp.AuthenticateAsync(Alice, password);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Alice));
        message.To.Add(MailboxAddress.Parse(Alice));
        message.Subject = "sent with an app password";
        message.Body = new TextPart("plain") { Text = "hello" };
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private Task<AuthResult> HttpLoginAsync(string password) =>
        _server.Get<LoginService>().LoginAsync(IPAddress.Loopback, LoginProtocol.Http, Alice, password, CancellationToken.None);

    [Fact]
    public async Task Real_clients_log_in_with_app_passwords_and_a_revoked_one_is_refused()
    {
        await _server.AddUserAsync("alice");
        var thunderbird = await AddAsync(Alice, "thunderbird");
        var phone = await AddAsync(Alice, "phone");
        Assert.NotEqual(thunderbird, phone);

        await SendWithMailKitAsync(phone);
        using (var imap = new ImapClient { Timeout = 10_000 })
        {
            await imap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
            await imap.AuthenticateAsync(Alice, thunderbird);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (imap.Inbox.Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                await imap.NoOpAsync();
            }
            Assert.Equal("sent with an app password", (await imap.Inbox.GetMessageAsync(0)).Subject);
            await imap.DisconnectAsync(true);
        }
        foreach (var protocol in new[] { "imap", "pop3", "smtp" }) Assert.Equal("OK", await PythonLoginAsync(protocol, Alice, thunderbird));

        // never the web: the HTTP login path refuses it like a wrong password, and accepts the account password
        Assert.Equal(AuthResult.Failed, await HttpLoginAsync(phone));
        Assert.True((await HttpLoginAsync(TestServer.Password)).Succeeded);

        var list = await Cli("user", "app-password", "list", Alice);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"thunderbird\tcreated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\tlast used \d{4}-", list.Stdout);
        var json = JsonDocument.Parse((await Cli("user", "app-password", "list", Alice, "--json")).Stdout).RootElement;
        Assert.Equal(["thunderbird", "phone"], json.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.All(json.EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.GetProperty("lastUsed").ValueKind));
        Assert.DoesNotContain(thunderbird, list.Stdout, StringComparison.Ordinal);

        var revoke = await Cli("user", "app-password", "revoke", Alice, "thunderbird");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.StartsWith("FAIL 535 5.7.8 Authentication credentials invalid", await PythonLoginAsync("smtp", Alice, thunderbird), StringComparison.Ordinal);
        Assert.StartsWith("FAIL", await PythonLoginAsync("imap", Alice, thunderbird), StringComparison.Ordinal);
        Assert.StartsWith("FAIL -ERR", await PythonLoginAsync("pop3", Alice, thunderbird), StringComparison.Ordinal);
        using (var imap = new ImapClient { Timeout = 10_000 })
        {
            await imap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
            // one SASL mechanism: MailKit would otherwise try each advertised one in turn
            await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(new SaslMechanismPlain(Alice, thunderbird)));
        }
        await SendWithMailKitAsync(phone); // the other one still works

        Assert.Equal(1, (await Cli("user", "app-password", "revoke", Alice, "thunderbird")).ExitCode);
        Assert.Equal(1, (await Cli("user", "app-password", "add", Alice, "PHONE")).ExitCode);
        Assert.Equal(1, (await Cli("user", "app-password", "add", Alice, "../../etc/passwd")).ExitCode);
        Assert.Equal(1, (await Cli("user", "app-password", "add", "nobody@example.test", "phone")).ExitCode);

        var audit = (await Cli("audit", "show", "--action", "app_password.")).Stdout;
        Assert.Contains("app_password.add", audit, StringComparison.Ordinal);
        Assert.Contains("app_password.revoke", audit, StringComparison.Ordinal);
        Assert.Contains("thunderbird", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(thunderbird, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forced_reset_refuses_app_passwords_with_the_expired_reasons_and_passwd_revokes_them()
    {
        await _server.AddUserAsync("alice");
        var phone = await AddAsync(Alice, "phone");
        Assert.Equal("OK", await PythonLoginAsync("smtp", Alice, phone));

        var reset = await Cli("user", "force-reset", Alice);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal("FAIL 535 5.7.8 Password expired: an administrator must set a new password before you can log in", await PythonLoginAsync("smtp", Alice, phone));
        Assert.Equal("FAIL -ERR [AUTH] Password expired; set a new password before fetching mail", await PythonLoginAsync("pop3", Alice, phone));
        Assert.Equal("FAIL [EXPIRED] Password expired; set a new one first", await PythonLoginAsync("imap", Alice, phone));
        using (var mailkit = new SmtpClient { Timeout = 10_000 })
        {
            await mailkit.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.None);
            var refused = await Assert.ThrowsAsync<AuthenticationException>(() => mailkit.AuthenticateAsync(Alice, phone));
            Assert.Contains("Password expired", refused.Message, StringComparison.Ordinal);
        }
        Assert.Contains("phone\tcreated", (await Cli("user", "app-password", "list", Alice)).Stdout, StringComparison.Ordinal);
        Assert.Contains("expired (forced reset)", (await Cli("user", "app-password", "list", Alice)).Stdout, StringComparison.Ordinal);
        var during = await Cli("user", "app-password", "add", Alice, "laptop");
        Assert.Equal(1, during.ExitCode); // a new credential does not get round the reset
        Assert.Contains("must get a new password first", during.Stderr, StringComparison.Ordinal);

        var passwd = await VigilCli.RunWithInputAsync(_server.Data.Root, "a-brand-new-passphrase-7\n", "user", "passwd", "--password-stdin", Alice);
        Assert.True(passwd.ExitCode == 0, passwd.ToString());
        Assert.StartsWith("FAIL 535 5.7.8 Authentication credentials invalid", await PythonLoginAsync("smtp", Alice, phone), StringComparison.Ordinal);
        Assert.Contains("has no app passwords", (await Cli("user", "app-password", "list", Alice)).Stdout, StringComparison.Ordinal);
        var fresh = await AddAsync(Alice, "phone");
        Assert.Equal("OK", await PythonLoginAsync("imap", Alice, fresh));
    }

    [Fact]
    public async Task Revoking_an_app_password_ends_the_sessions_opened_with_it_and_no_others()
    {
        await _server.AddUserAsync("alice");
        var thunderbird = await AddAsync(Alice, "thunderbird");
        var phone = await AddAsync(Alice, "phone");
        using var lost = await ImapAsync(thunderbird);
        using var kept = await ImapAsync(phone);
        using var own = await ImapAsync(TestServer.Password);

        var revoke = await Cli("user", "app-password", "revoke", Alice, "thunderbird");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var ended = false;
        while (!ended && DateTime.UtcNow < deadline)
        {
            try
            {
                await lost.NoOpAsync();
                await Task.Delay(200);
            }
            catch (Exception ex) when (ex is ImapProtocolException or IOException or ServiceNotConnectedException)
            {
                ended = true;
            }
        }
        Assert.True(ended, "the session opened with the revoked app password was not ended");
        await kept.NoOpAsync();
        await own.NoOpAsync();
        Assert.True(kept.IsConnected && own.IsConnected);
    }

    private async Task<ImapClient> ImapAsync(string password)
    {
        var imap = new ImapClient { Timeout = 10_000 };
        await imap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
        await imap.AuthenticateAsync(Alice, password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        return imap;
    }

    [Fact]
    public async Task A_new_app_password_on_an_admin_is_a_privileged_principal_alert()
    {
        var admin = await Cli("user", "add", "--admin", "boss@example.test");
        Assert.True(admin.ExitCode == 0, admin.ToString());
        await _webhook.WaitForAsync("principal.admin_added", "boss@example.test", TimeSpan.FromSeconds(30));
        await AddAsync("boss@example.test", "phone");
        var alert = await _webhook.WaitForAsync("principal.admin_app_password_added", "boss@example.test/phone#", TimeSpan.FromSeconds(30));
        Assert.Contains("administrator boss@example.test has an app password phone", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = (await Cli("audit", "show", "--action", "app_password.add", "--json")).Stdout;
        Assert.Contains("\"admin\":\"true\"", audit.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
