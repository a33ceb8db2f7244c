using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vigil.Security.Tls;

namespace Vigil.Security.Tests.Tls;

/// <summary>Only certificates chaining to the admin's CA file, valid now and usable for client
/// authentication, open the admin HTTPS port.</summary>
public sealed class ClientCertificateValidatorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public ClientCertificateValidatorTests()
    {
        _ca = Ca("CN=admin-ca", _caKey);
        File.WriteAllText(_dir["ca.pem"], _ca.ExportCertificatePem());
    }

    [Fact]
    public void A_certificate_signed_by_the_ca_for_client_auth_is_trusted()
    {
        var validator = new ClientCertificateValidator(_dir["ca.pem"]);
        using var alice = Issue("CN=alice", _ca, _caKey, "1.3.6.1.5.5.7.3.2", DateTimeOffset.UtcNow.AddDays(1));
        Assert.True(validator.IsTrusted(alice));
    }

    [Fact]
    public void No_certificate_another_ca_a_server_only_certificate_or_an_expired_one_is_refused()
    {
        var validator = new ClientCertificateValidator(_dir["ca.pem"]);
        Assert.False(validator.IsTrusted(null));

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = Ca("CN=other-ca", otherKey);
        using var mallory = Issue("CN=mallory", other, otherKey, "1.3.6.1.5.5.7.3.2", DateTimeOffset.UtcNow.AddDays(1));
        Assert.False(validator.IsTrusted(mallory));

        using var serverOnly = Issue("CN=server", _ca, _caKey, "1.3.6.1.5.5.7.3.1", DateTimeOffset.UtcNow.AddDays(1));
        Assert.False(validator.IsTrusted(serverOnly));

        using var expired = Issue("CN=bob", _ca, _caKey, "1.3.6.1.5.5.7.3.2", DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.False(validator.IsTrusted(expired));
    }

    [Fact]
    public void A_ca_file_without_a_certificate_is_refused_at_start()
    {
        File.WriteAllText(_dir["empty.pem"], "nothing here\n");
        Assert.Throws<InvalidCertificateException>(() => new ClientCertificateValidator(_dir["empty.pem"]));
        Assert.Throws<InvalidCertificateException>(() => new ClientCertificateValidator(_dir["missing.pem"]));
    }

    private static X509Certificate2 Ca(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Issue(string subject, X509Certificate2 ca, ECDsa caKey, string eku, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        // ca came from CreateSelfSigned with caKey, so it holds the key that signs.
        Assert.True(ca.HasPrivateKey && caKey.KeySize > 0);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), notAfter, RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        _dir.Dispose();
    }
}
