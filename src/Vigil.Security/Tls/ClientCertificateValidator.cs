using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Security.Tls;

/// <summary>Accepts a TLS client certificate only when it chains to one of the admin's trusted CA
/// certificates (a PEM file), is valid now, and may be used for client authentication. The
/// system's trust store plays no part: a certificate from a public CA is refused.</summary>
public sealed class ClientCertificateValidator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private readonly X509Certificate2Collection _authorities = [];

    public ClientCertificateValidator(string caFile)
    {
        CaFile = caFile;
        try
        {
            _authorities.ImportFromPemFile(caFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidCertificateException($"cannot read the client CA file {caFile}: {ex.Message}", ex);
        }
        if (_authorities.Count == 0) throw new InvalidCertificateException($"{caFile} holds no PEM certificate");
    }

    public string CaFile { get; }

    public bool IsTrusted(X509Certificate? presented)
    {
        if (presented is null) return false;
        using var cert = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(cert);
    }
}
