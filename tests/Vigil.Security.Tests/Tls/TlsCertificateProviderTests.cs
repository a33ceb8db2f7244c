using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vigil.Security.Tls;

namespace Vigil.Security.Tests.Tls;

/// <summary>The reload rules: a new pair replaces the certificate, the same pair changes nothing,
/// a pair that cannot serve is refused and the current certificate stays.</summary>
public sealed class TlsCertificateProviderTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Cert => _dir["cert.pem"];
    private string Key => _dir["key.pem"];

    [Fact]
    public void A_new_pair_replaces_the_certificate_and_the_same_pair_changes_nothing()
    {
        SelfSignedCertificate.Write("one.example.test", Cert, Key);
        var tls = new TlsCertificateProvider(Cert, Key);
        var first = tls.Current;

        var same = tls.Reload();
        Assert.False(same.Changed);
        Assert.Null(same.Error);

        SelfSignedCertificate.Write("two.example.test", Cert, Key);
        var renewed = tls.Reload();
        Assert.True(renewed.Changed);
        Assert.Null(renewed.Error);
        Assert.Same(first, renewed.Previous);
        Assert.Equal("CN=two.example.test", tls.Current.Subject);
        Assert.Same(tls.Current.Context, tls.ServerOptions().ServerCertificateContext);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(tls.Certificate.RawData)), tls.Current.Sha256);
    }

    [Fact]
    public void A_key_that_does_not_match_garbage_or_an_expired_certificate_is_refused_and_the_old_one_stays()
    {
        SelfSignedCertificate.Write("one.example.test", Cert, Key);
        var tls = new TlsCertificateProvider(Cert, Key);
        var serving = tls.Current;

        SelfSignedCertificate.Write("other.example.test", _dir["other.pem"], _dir["other.key"]);
        File.Copy(_dir["other.key"], Key, overwrite: true);
        AssertRefused(tls.Reload(), serving, "cannot load");

        File.WriteAllText(Cert, "not a certificate\n");
        AssertRefused(tls.Reload(), serving, "cannot load");

        WriteExpired(Cert, Key);
        AssertRefused(tls.Reload(), serving, "expired on");
        Assert.Same(serving, tls.Current);
    }

    [Fact]
    public void At_start_an_expired_certificate_still_serves()
    {
        WriteExpired(Cert, Key);
        var tls = new TlsCertificateProvider(Cert, Key);
        Assert.True(tls.Current.NotAfter < DateTimeOffset.UtcNow);
    }

    [Fact]
    public void The_options_allow_only_tls_1_2_and_1_3_with_the_explicit_cipher_policy()
    {
        SelfSignedCertificate.Write("one.example.test", Cert, Key);
        var options = new TlsCertificateProvider(Cert, Key).ServerOptions();
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.Same(TlsServerPolicy.CipherSuites, options.CipherSuitesPolicy);
        Assert.NotNull(options.CipherSuitesPolicy);
        Assert.False(options.ClientCertificateRequired);
    }

    private static void AssertRefused(TlsReload result, ServedCertificate serving, string reason)
    {
        Assert.False(result.Changed);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Same(serving, result.Current);
    }

    private static void WriteExpired(string certPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=old.example.test", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, cert.ExportCertificatePem());
    }

    public void Dispose() => _dir.Dispose();
}
