using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Security.Tls;

/// <summary>The certificate new TLS handshakes get, with the intermediates sent alongside it and
/// what admins look at: subject, expiry, SHA-256 fingerprint, when it was loaded.</summary>
public sealed class ServedCertificate
{
    private ServedCertificate(X509Certificate2 certificate, SslStreamCertificateContext context, DateTimeOffset loadedAt)
    {
        Certificate = certificate;
        Context = context;
        LoadedAt = loadedAt;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    public X509Certificate2 Certificate { get; }
    public SslStreamCertificateContext Context { get; }
    public DateTimeOffset LoadedAt { get; }

    /// <summary>SHA-256 of the DER certificate, lower-case hex (what <c>openssl x509 -fingerprint -sha256</c> shows, without colons).</summary>
    public string Sha256 { get; }
    public string Subject => Certificate.Subject;
    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime());

    /// <summary>Loads a PEM certificate (optionally followed by its intermediates, as in a
    /// "fullchain.pem") and its PEM key. Throws <see cref="InvalidCertificateException"/> with a
    /// one-line reason when the pair cannot serve: unreadable, not PEM, key not matching, expired
    /// (unless <paramref name="allowExpired"/>: at start an expired certificate still serves, since
    /// most sending MTAs do not check it, and that beats not serving at all).</summary>
    public static ServedCertificate Load(string certPath, string keyPath, DateTimeOffset now, bool allowExpired = false)
    {
        X509Certificate2 leaf;
        X509Certificate2Collection chain = [];
        try
        {
            using (var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath))
            {
                // Re-import as PKCS#12: SslStream on Linux needs a certificate whose key is not ephemeral.
                leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            chain.ImportFromPemFile(certPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidCertificateException($"cannot load {certPath} with {keyPath}: {ex.Message}", ex);
        }
        if (!leaf.HasPrivateKey) throw new InvalidCertificateException($"{keyPath} holds no private key for {certPath}");
        if (!allowExpired && leaf.NotAfter.ToUniversalTime() < now.UtcDateTime) throw new InvalidCertificateException($"{certPath} expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");
        var intermediates = new X509Certificate2Collection();
        foreach (var c in chain) if (!c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)) intermediates.Add(c);
        return new ServedCertificate(leaf, SslStreamCertificateContext.Create(leaf, intermediates, offline: true), now);
    }
}

/// <summary>A certificate/key pair that cannot serve; the message is one line for logs and the CLI.</summary>
public sealed class InvalidCertificateException(string message, Exception? inner = null) : Exception(message, inner);
