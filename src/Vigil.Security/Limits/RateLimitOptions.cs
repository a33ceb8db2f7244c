namespace Vigil.Security.Limits;

/// <summary>Rates every protocol shares (docs/security.md lists the defaults and why). Networks on
/// the allow-list are exempt; nothing else is.</summary>
public sealed record RateLimitOptions
{
    /// <summary>New connections one network (IPv4 /32, IPv6 /64) may open per minute on one
    /// protocol. Generous enough for an office behind one NAT address, far below a flood.</summary>
    public int NewConnectionsPerMinute { get; init; } = 120;

    /// <summary>Recipients one authenticated account may send to per hour (a stolen password
    /// cannot turn the server into a spam cannon).</summary>
    public int RecipientsPerHourPerAccount { get; init; } = 1000;

    /// <summary>Recipients one unauthenticated network may deliver to per hour (MX).</summary>
    public int RecipientsPerHourPerIp { get; init; } = 10_000;

    /// <summary>Bound on networks/accounts tracked in memory.</summary>
    public int MaxTrackedKeys { get; init; } = 100_000;
}
