namespace Vigil.Security.Bans;

/// <summary>Auto-ban and login slow-down settings (docs/security.md lists the defaults and why).</summary>
public sealed record AutoBanOptions
{
    /// <summary>Failed logins from one network, over every protocol, that trigger a ban.</summary>
    public int MaxFailuresPerIp { get; init; } = 10;

    /// <summary>The window those failures are counted in.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The first ban's length; each repeat offence multiplies it by <see cref="BanGrowthFactor"/>.</summary>
    public TimeSpan InitialBan { get; init; } = TimeSpan.FromMinutes(15);

    public double BanGrowthFactor { get; init; } = 4;

    public TimeSpan MaxBan { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long an expired ban is remembered, so the next one is longer.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromDays(30);

    /// <summary>IPv4 addresses are counted and banned per /32, IPv6 per /64 (one subscriber).</summary>
    public int Ipv4Prefix { get; init; } = 32;
    public int Ipv6Prefix { get; init; } = 64;

    /// <summary>Failed logins for one account (from anywhere) before its logins slow down. Accounts
    /// are never locked: a lockout would hand attackers a way to lock users out.</summary>
    public int FreeAccountFailures { get; init; } = 5;

    /// <summary>The first slow-down; it doubles with each further failure up to <see cref="MaxLoginDelay"/>.</summary>
    public TimeSpan LoginDelayStep { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxLoginDelay { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan AccountFailureWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A network that logged in to an account successfully is not slowed down for that
    /// account for this long, so its owner keeps working while someone else guesses.</summary>
    public TimeSpan TrustKnownNetworkFor { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often a server re-reads bans and the allow-list, to see the CLI's changes.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bounds on the in-memory counters (distinct networks and accounts tracked).</summary>
    public int MaxTrackedKeys { get; init; } = 100_000;

    /// <summary>The ban length for the <paramref name="offense"/>-th offence (1-based).</summary>
    public TimeSpan BanLength(int offense)
    {
        var ticks = InitialBan.Ticks * Math.Pow(BanGrowthFactor, Math.Max(0, offense - 1));
        return ticks >= MaxBan.Ticks ? MaxBan : TimeSpan.FromTicks((long)ticks);
    }
}
