using Vigil.Interop.Tests.Infrastructure;
using Vigil.Security.Tls;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Issue 6 item 7: every TLS port (SMTP STARTTLS on 25 and 587, 465, IMAP STARTTLS and
/// 993, POP3 STLS and 995, HTTPS) refuses TLS 1.0/1.1 and weak cipher suites and accepts TLS 1.2
/// and 1.3 with forward-secret AEAD suites. The client is OpenSSL's s_client, told to offer the
/// old protocols and ciphers (SECLEVEL=0), which it would otherwise refuse by itself.</summary>
public sealed class TlsPolicyTests : IAsyncLifetime
{
    private const string Legacy = "DEFAULT:@SECLEVEL=0";

    public static readonly TheoryData<string, string?> Listeners = new()
    {
        { "smtp", "smtp" }, { "submission", "smtp" }, { "submissions", null },
        { "imap", "imap" }, { "imaps", null }, { "pop3", "pop3" }, { "pop3s", null }, { "http", null },
    };

    public static readonly TheoryData<string> ImplicitTlsPorts = new() { "submissions", "imaps", "pop3s", "http" };

    private readonly string _certs = Directory.CreateTempSubdirectory("vigil-rsa-").FullName;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        // An RSA certificate made by openssl: static-RSA and DHE-RSA suites are only possible with
        // one (the self-signed certificate of `vigil init` is ECDSA, which would hide them).
        var cert = Path.Combine(_certs, "cert.pem");
        var key = Path.Combine(_certs, "key.pem");
        var req = await ExternalTool.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=mail.example.test"]);
        Assert.True(req.ExitCode == 0, req.ToString());
        _server = await TestServer.StartAsync(c =>
        {
            c.Tls.CertificateFile = cert;
            c.Tls.KeyFile = key;
        });
    }

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task Tls_1_0_and_1_1_are_refused_1_2_and_1_3_accepted(string listener, string? starttls)
    {
        var port = _server.Port(listener);
        foreach (var old in new[] { "-tls1", "-tls1_1" })
        {
            var h = await OpenSslClient.ConnectAsync(port, starttls, old, "-cipher", Legacy);
            Assert.False(h.Succeeded, $"{listener} {old}: {h}");
        }
        var tls12 = await OpenSslClient.ConnectAsync(port, starttls, "-tls1_2");
        Assert.True(tls12.Succeeded, tls12.ToString());
        Assert.Equal("TLSv1.2", tls12.Protocol);
        var tls13 = await OpenSslClient.ConnectAsync(port, starttls, "-tls1_3");
        Assert.True(tls13.Succeeded, tls13.ToString());
        Assert.Equal("TLSv1.3", tls13.Protocol);
    }

    /// <summary>OpenSSL 3 on this machine cannot even offer RC4, 3DES or EXPORT suites (removed from
    /// the library the server uses as well); NULL, static RSA and CBC suites it can offer, and the
    /// server must refuse them.</summary>
    [Theory]
    [MemberData(nameof(ImplicitTlsPorts))]
    public async Task Weak_tls_1_2_cipher_suites_are_refused_and_forward_secret_aead_ones_accepted(string listener)
    {
        var port = _server.Port(listener);
        string[] weak =
        [
            "NULL-SHA256",            // no encryption
            "AES128-GCM-SHA256",      // static RSA key exchange: no forward secrecy
            "AES256-SHA256",          // static RSA, CBC
            "ECDHE-RSA-AES128-SHA",   // CBC with SHA-1
            "ECDHE-RSA-AES256-SHA384", // CBC (.NET's own default list allows it)
            "ECDHE-RSA-AES128-SHA256", // CBC (likewise)
            "DHE-RSA-AES256-SHA256",  // CBC
        ];
        foreach (var cipher in weak)
        {
            var h = await OpenSslClient.ConnectAsync(port, null, "-tls1_2", "-cipher", $"{cipher}:@SECLEVEL=0");
            Assert.False(h.Succeeded, $"{listener} accepted {cipher}: {h}");
        }
        foreach (var cipher in new[] { "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305" })
        {
            var h = await OpenSslClient.ConnectAsync(port, null, "-tls1_2", "-cipher", cipher);
            Assert.True(h.Succeeded, $"{listener} refused {cipher}: {h}");
            Assert.Equal(cipher, h.Cipher);
        }
    }

    [Fact]
    public void The_policy_lists_only_forward_secret_aead_suites()
    {
        Assert.NotNull(TlsServerPolicy.CipherSuites);
        foreach (var suite in TlsServerPolicy.AllowedCipherSuites)
        {
            var name = suite.ToString();
            Assert.True(name.StartsWith("TLS_AES_", StringComparison.Ordinal) || name.StartsWith("TLS_CHACHA20_", StringComparison.Ordinal)
                || name.StartsWith("TLS_ECDHE_", StringComparison.Ordinal), name);
            Assert.True(name.Contains("_GCM_", StringComparison.Ordinal) || name.Contains("CHACHA20_POLY1305", StringComparison.Ordinal), name);
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_certs, recursive: true);
    }
}
