namespace Vigil.Core.Model;

/// <summary>A DKIM signing key of a hosted domain (RFC 6376), published at
/// <c>Selector._domainkey.Domain</c>. The private key is PKCS#8 PEM; <see cref="PublicKey"/> is
/// the base64 "p=" value of the DNS record.</summary>
public sealed record DkimKey(long Id, string Domain, string Selector, DkimAlgorithm Algorithm, string PrivateKeyPem, string PublicKey, DateTimeOffset Created);

/// <summary>The signing algorithms Vigil generates keys for.</summary>
public enum DkimAlgorithm
{
    /// <summary>rsa-sha256 with a 2048-bit key (RFC 6376, RFC 8301).</summary>
    Rsa = 1,
    /// <summary>ed25519-sha256 (RFC 8463).</summary>
    Ed25519 = 2,
}

/// <summary>The DNS side of a DKIM key.</summary>
public static class DkimRecord
{
    /// <summary>The owner name of the TXT record (RFC 6376 §3.6.2.1).</summary>
    public static string Name(DkimKey key) => $"{key.Selector}._domainkey.{key.Domain}";

    /// <summary>The TXT record value (RFC 6376 §3.6.1; k=ed25519 from RFC 8463 §4.2).</summary>
    public static string Value(DkimKey key) =>
        $"v=DKIM1; k={(key.Algorithm == DkimAlgorithm.Ed25519 ? "ed25519" : "rsa")}; p={key.PublicKey}";
}
