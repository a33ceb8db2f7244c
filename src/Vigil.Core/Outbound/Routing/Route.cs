namespace Vigil.Core.Outbound.Routing;

/// <summary>A transport rule, like a Postfix transport_maps entry or relayhost: mail for
/// <see cref="Domain"/> (or every domain without a rule of its own when it is <c>*</c>) goes to
/// <see cref="Host"/>:<see cref="Port"/> instead of the domain's MX hosts. A null host keeps MX
/// routing and only sets the TLS policy.</summary>
public sealed record Route(string Domain, string? Host, int Port, string? AuthUser, string? AuthSecret, TlsPolicy Tls)
{
    public const string Default = "*";

    public bool IsSmartHost => Host is not null;

    public override string ToString() =>
        $"{Domain} -> {(Host is null ? "MX" : $"{Host}:{Port}")} tls={Tls.ToString().ToLowerInvariant()}{(AuthUser is null ? "" : $" auth={AuthUser}")}";
}

/// <summary>How the outbound client uses TLS with a destination.</summary>
public enum TlsPolicy
{
    /// <summary>STARTTLS when offered, any certificate (RFC 3207 opportunistic TLS, like Postfix "may").</summary>
    Opportunistic,
    /// <summary>STARTTLS must succeed; the certificate is not checked ("encrypt").</summary>
    Required,
    /// <summary>STARTTLS with a certificate valid for the host name ("verify").</summary>
    Verify,
    /// <summary>Never STARTTLS (only for peers known to break it).</summary>
    None,
}
