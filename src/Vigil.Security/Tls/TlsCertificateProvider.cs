using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Security.Tls;

/// <summary>Holds the server certificate loaded from PEM files and hands out TLS 1.2/1.3-only
/// server options. <see cref="Reload"/> swaps the certificate for new handshakes without a restart.</summary>
public sealed class TlsCertificateProvider
{
    private readonly string _certPath;
    private readonly string _keyPath;
    private volatile X509Certificate2 _certificate;

    public TlsCertificateProvider(string certPath, string keyPath)
    {
        _certPath = certPath;
        _keyPath = keyPath;
        _certificate = Load();
    }

    public X509Certificate2 Certificate => _certificate;

    public void Reload() => _certificate = Load();

    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificate = _certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    private X509Certificate2 Load()
    {
        using var pem = X509Certificate2.CreateFromPemFile(_certPath, _keyPath);
        // Re-import as PKCS#12: SslStream on Linux needs a certificate whose key is not ephemeral.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
