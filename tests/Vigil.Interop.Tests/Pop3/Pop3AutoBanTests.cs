using System.Net;
using System.Text;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>POP3 failures count towards the shared auto-ban like SMTP's: MailKit guessing
/// passwords from one loopback address gets that address refused at accept on both POP3 ports
/// (a "-ERR [SYS/TEMP]" greeting on 110), while another address still logs in.</summary>
public sealed class Pop3AutoBanTests
{
    private static Pop3Client Client(string source, Stream? log = null)
    {
        var c = log is null ? new Pop3Client() : new Pop3Client(new ProtocolLogger(log, leaveOpen: true));
        c.ServerCertificateValidationCallback = (_, _, _, _) => true;
        c.Timeout = 30_000;
        c.LocalEndPoint = new IPEndPoint(IPAddress.Parse(source), 0);
        return c;
    }

    [Fact]
    public async Task Password_guessing_over_pop3_gets_the_address_banned()
    {
        await using var server = await TestServer.StartAsync(c => c.AutoBan = c.AutoBan with { MaxFailuresPerIp = 3 });
        await server.AddUserAsync("gina");

        for (var i = 0; i < 3; i++)
        {
            using var guesser = Client("127.0.0.21");
            await guesser.ConnectAsync("127.0.0.1", server.Port("pop3s"), SecureSocketOptions.SslOnConnect);
            guesser.AuthenticationMechanisms.Clear(); // USER/PASS only: MailKit would retry a failed SASL PLAIN with USER/PASS (two failures per guess)
            await Assert.ThrowsAsync<AuthenticationException>(() => guesser.AuthenticateAsync("gina@example.test", "guess" + i));
        }

        // Port 110: refused at accept with a POP3 greeting that says why.
        string? greeting = null;
        for (var attempt = 0; attempt < 50 && greeting is null; attempt++)
        {
            using var log = new MemoryStream();
            using (var banned = Client("127.0.0.21", log))
            {
                try
                {
                    await banned.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None);
                }
                catch (Exception ex) when (ex is Pop3ProtocolException or Pop3CommandException or IOException)
                {
                    greeting = Encoding.UTF8.GetString(log.ToArray());
                }
            }
            if (greeting is null) await Task.Delay(100);
        }
        Assert.NotNull(greeting);
        Assert.Contains("S: -ERR [SYS/TEMP] mail.example.test Access from your address is temporarily blocked", greeting, StringComparison.Ordinal);

        // Port 995: closed before the TLS handshake (the listener spends no handshake on a banned client).
        using (var banned = Client("127.0.0.21"))
        {
            await Assert.ThrowsAsync<SslHandshakeException>(() => banned.ConnectAsync("127.0.0.1", server.Port("pop3s"), SecureSocketOptions.SslOnConnect));
        }

        using var other = Client("127.0.0.22");
        await other.ConnectAsync("127.0.0.1", server.Port("pop3s"), SecureSocketOptions.SslOnConnect);
        await other.AuthenticateAsync("gina@example.test", TestServer.Password);
        await other.DisconnectAsync(quit: true);
    }
}
