namespace Vigil.Host.Config;

/// <summary>PEM certificate and key, relative to the data directory or absolute. <c>vigil init</c>
/// points these at its self-signed pair; an admin replaces them with a real certificate.</summary>
public sealed class TlsConfig
{
    public string CertificateFile { get; set; } = "certs/cert.pem";
    public string KeyFile { get; set; } = "certs/key.pem";
}
