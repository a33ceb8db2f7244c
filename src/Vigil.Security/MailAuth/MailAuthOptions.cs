namespace Vigil.Security.MailAuth;

/// <summary>Inbound sender authentication (SPF, DKIM, DMARC, ARC); docs/security.md lists the defaults.</summary>
public sealed record MailAuthOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>The authserv-id in Authentication-Results (RFC 8601 §2.5); the host name when empty.
    /// Incoming fields that claim it are removed.</summary>
    public string AuthservId { get; init; } = "";

    /// <summary>Resolvers to ask ("ip" or "ip:port"); empty means the system's.</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];

    public TimeSpan DnsTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public int DnsRetries { get; init; } = 1;
    public bool DnsCache { get; init; } = true;

    /// <summary>All checks for one message together (RFC 7208 §4.6.4 suggests at least 20 s for SPF).</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Honour p=reject by refusing at the end of DATA (RFC 7489 §6.7). Off: such mail goes to Junk.</summary>
    public bool RejectOnDmarcReject { get; init; } = true;

    /// <summary>DKIM signatures verified per message; more are reported as not checked.</summary>
    public int MaxDkimSignatures { get; init; } = 5;

    /// <summary>RSA keys shorter than this fail (RFC 8301 §3.2 requires at least 1024 bits).</summary>
    public int MinimumRsaKeyBits { get; init; } = 1024;
}
