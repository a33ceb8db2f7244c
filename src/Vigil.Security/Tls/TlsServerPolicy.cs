using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;

namespace Vigil.Security.Tls;

/// <summary>The one TLS policy every Vigil listener uses (SMTP STARTTLS and 465, IMAP, POP3, the
/// HTTPS port): TLS 1.2 and 1.3 only, and only AEAD cipher suites with forward secrecy (Mozilla's
/// "intermediate" list, without finite-field DHE). SSL 3, TLS 1.0/1.1, RC4, 3DES, CBC-mode, NULL, EXPORT and static-RSA key
/// exchange are never negotiated, whatever the system's OpenSSL default allows.
/// Port 25 follows the same policy: RFC 7435 would rather take any cipher than plaintext, but a
/// sending MTA that cannot do TLS 1.2 with ECDHE/DHE falls back to plaintext on its own, and the
/// issue asks for no weak ciphers on any port.</summary>
public static class TlsServerPolicy
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>In the server's order of preference.</summary>
    public static readonly IReadOnlyList<TlsCipherSuite> AllowedCipherSuites =
    [
        // TLS 1.3 (all AEAD, all forward secret).
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        // TLS 1.2: ephemeral ECDH key exchange, AEAD only. (Finite-field DHE is left out: .NET
        // sets up no DH parameters on the server, so those suites could never be chosen anyway.)
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    /// <summary>The explicit policy (Linux and macOS: OpenSSL honours it). Null elsewhere: Windows
    /// takes cipher suites from the system's Schannel settings.</summary>
    public static CipherSuitesPolicy? CipherSuites { get; } = Create();

    private static CipherSuitesPolicy? Create() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? CreateUnix() : null;

    [UnsupportedOSPlatform("windows")]
    private static CipherSuitesPolicy CreateUnix() => new(AllowedCipherSuites);
}
