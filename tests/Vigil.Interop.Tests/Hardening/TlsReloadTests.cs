using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Vigil.Host.Config;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Issue 6 item 7: the certificate is reloaded without a restart. `vigil serve` runs as its
/// own process; openssl s_client reads the served certificate's fingerprint before and after the
/// files are replaced (the file watch) and after SIGHUP; a TLS session opened before the reload
/// keeps working with the old certificate; a broken pair is refused, the old certificate keeps
/// serving, and the refusal is logged (tls.reload_failed, 11062) and alerted.</summary>
public sealed class TlsReloadTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("vigil-reload-").FullName;
    private DataDirectory _data = null!;
    private VigilProcess _server = null!;

    public async Task InitializeAsync()
    {
        (_data, _) = TestServer.InitializeData();
        _server = await VigilProcess.StartAsync(_data);
    }

    [Fact]
    public async Task New_connections_get_the_new_certificate_old_sessions_keep_theirs_and_a_broken_pair_is_refused()
    {
        var imaps = _server.Port("imaps");
        var original = await FileFingerprintAsync(_data.CertificateFile);
        Assert.Equal(original, await OpenSslClient.ServedFingerprintAsync(imaps));

        // A session in TLS before the reload.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", imaps);
        await using var old = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await old.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mail.example.test" });
        using var oldReader = new StreamReader(old, Encoding.ASCII, false, 1024, leaveOpen: true);
        Assert.StartsWith("* OK", await oldReader.ReadLineAsync());

        // Replace the pair as a renewal tool would: key first, then the certificate.
        var (cert, key) = await NewPairAsync("renewed.example.test");
        File.Copy(key, _data.KeyFile, overwrite: true);
        File.Copy(cert, _data.CertificateFile, overwrite: true);
        var renewed = await FileFingerprintAsync(_data.CertificateFile);
        Assert.NotEqual(original, renewed);

        await UntilServedAsync(imaps, renewed);
        // Every TLS port takes it: SMTP STARTTLS, 465, POP3S and HTTPS too.
        Assert.Equal(renewed, await OpenSslClient.ServedFingerprintAsync(_server.Port("smtp"), "smtp"));
        Assert.Equal(renewed, await OpenSslClient.ServedFingerprintAsync(_server.Port("submissions")));
        Assert.Equal(renewed, await OpenSslClient.ServedFingerprintAsync(_server.Port("pop3s")));
        Assert.Equal(renewed, await OpenSslClient.ServedFingerprintAsync(_server.Port("http")));
        Assert.Contains(_server.Output, l => l.Contains("[11061]", StringComparison.Ordinal) && l.Contains(renewed, StringComparison.Ordinal));

        // The old session carries on, still with the old certificate.
        await old.WriteAsync("a1 NOOP\r\n"u8.ToArray());
        await old.FlushAsync();
        Assert.StartsWith("a1 OK", await oldReader.ReadLineAsync());
        Assert.Equal(original, Convert.ToHexStringLower(SHA256.HashData(old.RemoteCertificate!.GetRawCertData())));

        var audit = await VigilCli.RunAsync(_data.Root, "audit", "show", "--action", "tls.reload");
        Assert.Contains($"sha256={renewed}", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains($"previousSha256={original}", audit.Stdout, StringComparison.Ordinal);
        var status = await VigilCli.RunAsync(_data.Root, "status");
        Assert.Contains("tls        CN=renewed.example.test", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("served since", status.Stdout, StringComparison.Ordinal);

        // A key that does not belong to the certificate: refused, the renewed certificate stays.
        var (_, strayKey) = await NewPairAsync("stray.example.test");
        File.Copy(strayKey, _data.KeyFile, overwrite: true);
        await UntilAsync(() => _server.Output.Any(l => l.Contains("[11062]", StringComparison.Ordinal)), "tls.reload_failed logged");
        Assert.Equal(renewed, await OpenSslClient.ServedFingerprintAsync(imaps));
        var alert = await VigilCli.RunAsync(_data.Root, "audit", "show", "--action", "alert.tls.reload_failed");
        Assert.Contains(_data.CertificateFile, alert.Stdout, StringComparison.Ordinal);
        var broken = await VigilCli.RunAsync(_data.Root, "status");
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("tls        PROBLEM:", broken.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sighup_reloads_and_does_not_stop_the_server()
    {
        var imaps = _server.Port("imaps");
        await SendSighupAsync();
        await UntilAsync(SighupLogged, "SIGHUP reload logged");
        Assert.Equal(await FileFingerprintAsync(_data.CertificateFile), await OpenSslClient.ServedFingerprintAsync(imaps));

        var (cert, key) = await NewPairAsync("hup.example.test");
        File.Copy(key, _data.KeyFile, overwrite: true);
        File.Copy(cert, _data.CertificateFile, overwrite: true);
        await SendSighupAsync();
        await UntilServedAsync(imaps, await FileFingerprintAsync(cert));
        Assert.Contains(_server.Output, l => l.Contains("[11061]", StringComparison.Ordinal));
    }

    private bool SighupLogged() => _server.Output.Any(l => l.Contains("[11063]", StringComparison.Ordinal) && l.Contains("(sighup)", StringComparison.Ordinal));

    private async Task SendSighupAsync()
    {
        var kill = await ExternalTool.RunAsync("kill", ["-HUP", _server.Status.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.ToString());
    }

    /// <summary>A new self-signed pair made by openssl.</summary>
    private async Task<(string Cert, string Key)> NewPairAsync(string cn)
    {
        var cert = Path.Combine(_work, cn + ".crt.pem");
        var key = Path.Combine(_work, cn + ".key.pem");
        var req = await ExternalTool.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=" + cn]);
        Assert.True(req.ExitCode == 0, req.ToString());
        return (cert, key);
    }

    private static async Task<string> FileFingerprintAsync(string certFile) => await OpenSslClient.FingerprintAsync(await File.ReadAllTextAsync(certFile));

    private static async Task UntilServedAsync(int port, string fingerprint)
    {
        string? seen = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            seen = await OpenSslClient.ServedFingerprintAsync(port);
            if (seen == fingerprint) return;
        }
        Assert.Fail($"still serving {seen}, expected {fingerprint}");
    }

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (condition()) return;
        }
        Assert.Fail($"{what}: not seen in the server's log:\n{string.Join('\n', _server.Output)}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data.Root, recursive: true);
        Directory.Delete(_work, recursive: true);
    }
}
