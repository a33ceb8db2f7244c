using System.Globalization;
using MailKit.Net.Pop3;
using MailKit.Security;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>The host's POP3 listeners with loopback treated like any remote client
/// (<c>pop3.allowPlaintextLoginFromLoopback = false</c>): no password before STLS on port 110
/// (RFC 2595), real clients switch to TLS and log in.</summary>
public sealed class Pop3TlsPolicyTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(c => c.Pop3.AllowPlaintextLoginFromLoopback = false);
        await _server.AddUserAsync("dora");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Poplib_without_tls_is_refused_with_the_auth_code()
    {
        var r = await ExternalTool.RunAsync("python3",
            [Path.Combine(AppContext.BaseDirectory, "python", "pop3_fetch.py"), "127.0.0.1", _server.Port("pop3").ToString(CultureInfo.InvariantCulture), "plain",
             "dora@example.test", TestServer.Password, Path.Combine(_server.Data.Root, "poplib-plain")]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("-ERR [AUTH] Plaintext authentication disallowed", r.Stderr, StringComparison.Ordinal);
        var capa = File.ReadAllLines(Path.Combine(_server.Data.Root, "poplib-plain", "capa.txt"));
        Assert.Contains("STLS", capa);
        Assert.DoesNotContain("USER", capa);
        Assert.DoesNotContain(capa, l => l.StartsWith("SASL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MailKit_sees_no_login_before_stls_and_logs_in_after_it()
    {
        using (var plain = new Pop3Client { Timeout = 30_000 })
        {
            await plain.ConnectAsync("127.0.0.1", _server.Port("pop3"), SecureSocketOptions.None);
            Assert.True(plain.Capabilities.HasFlag(Pop3Capabilities.StartTLS));
            Assert.Empty(plain.AuthenticationMechanisms);
            // MailKit still tries USER/PASS (RFC 1939 makes USER the default); the server refuses it.
            await Assert.ThrowsAsync<AuthenticationException>(() => plain.AuthenticateAsync("dora@example.test", TestServer.Password));
            await plain.DisconnectAsync(quit: true);
        }
        foreach (var (listener, tls) in new[] { ("pop3", SecureSocketOptions.StartTls), ("pop3s", SecureSocketOptions.SslOnConnect) })
        {
            using var client = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
            await client.ConnectAsync("127.0.0.1", _server.Port(listener), tls);
            await client.AuthenticateAsync("dora@example.test", TestServer.Password);
            Assert.Equal(0, client.Count);
            await client.DisconnectAsync(quit: true);
        }
    }
}
