namespace Vigil.Host.Config;

/// <summary>PEM certificate and key, relative to the data directory or absolute. <c>vigil init</c>
/// points these at its self-signed pair; an admin replaces them with a real certificate.</summary>
public sealed class TlsConfig
{
    public string CertificateFile { get; set; } = "certs/cert.pem";
    public string KeyFile { get; set; } = "certs/key.pem";

    /// <summary>PEM file of the CA(s) whose client certificates may use the HTTPS admin port. When
    /// set, that port requires a client certificate signed by one of them (docs/security.md).</summary>
    public string? AdminClientCaFile { get; set; }
}
