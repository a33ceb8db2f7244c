using Vigil.Host.Config;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Issue 6 item 7: with <c>tls.adminClientCaFile</c> set, the HTTPS admin port of a
/// running `vigil serve` requires a client certificate signed by that CA. curl is the client, the
/// CAs and certificates are made by openssl; the mail ports are not affected.</summary>
public sealed class AdminClientCertificateTests : IAsyncLifetime
{
    private readonly string _pki = Directory.CreateTempSubdirectory("vigil-pki-").FullName;
    private DataDirectory _data = null!;
    private VigilProcess _server = null!;

    public async Task InitializeAsync()
    {
        await CaAsync("admin-ca");
        await ClientAsync("alice", "admin-ca");
        await CaAsync("other-ca");
        await ClientAsync("mallory", "other-ca");
        (_data, _) = TestServer.InitializeData(c => c.Tls.AdminClientCaFile = Path.Combine(_pki, "admin-ca.crt"));
        _server = await VigilProcess.StartAsync(_data);
    }

    [Fact]
    public async Task Only_a_certificate_from_the_admin_ca_gets_an_http_answer()
    {
        var url = $"https://127.0.0.1:{_server.Port("http")}/health";

        var signed = await CurlAsync(url, "--cert", File("alice.crt"), "--key", File("alice.key"));
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.Equal("200", signed.Stdout.Trim());

        // No certificate, or one from another CA: the TLS handshake fails, no HTTP is spoken.
        // (curl's exit code depends on when it notices: 35, 55, 56 or 18 with TLS 1.3.)
        var none = await CurlAsync(url);
        Assert.True(none.ExitCode != 0, none.ToString());
        Assert.Equal("000", none.Stdout.Trim());
        var foreign = await CurlAsync(url, "--cert", File("mallory.crt"), "--key", File("mallory.key"));
        Assert.True(foreign.ExitCode != 0, foreign.ToString());
        Assert.Equal("000", foreign.Stdout.Trim());

        // Mail clients never need one.
        var imaps = await OpenSslClient.ConnectAsync(_server.Port("imaps"), null);
        Assert.True(imaps.Succeeded, imaps.ToString());

        var status = await VigilCli.RunAsync(_data.Root, "status");
        Assert.Contains("requires client certificates signed by", status.Stdout, StringComparison.Ordinal);

        // A CA that opens the admin port is a privileged principal: its appearance is alerted.
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(200))
        {
            var alert = await VigilCli.RunAsync(_data.Root, "audit", "show", "--action", "alert.principal.trusted_key_added");
            if (alert.Stdout.Contains("admin-client-ca:", StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, alert.ToString());
        }
    }

    [Fact]
    public async Task A_fleet_console_cannot_require_client_certificates()
    {
        var (data, _) = TestServer.InitializeData(c =>
        {
            c.Tls.AdminClientCaFile = Path.Combine(_pki, "admin-ca.crt");
            c.Fleet.Console = true;
        });
        try
        {
            var serve = await VigilCli.RunAsync(data.Root, "serve", "--allow-root");
            Assert.Equal(1, serve.ExitCode);
            Assert.Contains("cannot be used on a fleet console", serve.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data.Root, recursive: true);
        }
    }

    private string File(string name) => Path.Combine(_pki, name);

    private static Task<ExternalTool.Result> CurlAsync(string url, params string[] extra) =>
        ExternalTool.RunAsync("curl", ["-sS", "-k", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", .. extra, url]);

    private async Task CaAsync(string name) =>
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", File(name + ".key"),
            "-out", File(name + ".crt"), "-days", "2", "-subj", $"/CN={name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private async Task ClientAsync(string name, string ca)
    {
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", File(name + ".key"),
            "-out", File(name + ".csr"), "-subj", $"/CN={name}");
        System.IO.File.WriteAllText(File(name + ".ext"), "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
        await OpenSslAsync("x509", "-req", "-in", File(name + ".csr"), "-CA", File(ca + ".crt"), "-CAkey", File(ca + ".key"), "-CAcreateserial",
            "-out", File(name + ".crt"), "-days", "2", "-extfile", File(name + ".ext"));
    }

    private static async Task OpenSslAsync(params string[] args)
    {
        var r = await ExternalTool.RunAsync("openssl", args);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data.Root, recursive: true);
        Directory.Delete(_pki, recursive: true);
    }
}
