using Vigil.Core.Outbound;

namespace Vigil.Host.Config;

/// <summary>Outbound delivery and submission limits (docs/outbound.md). Times are in seconds so
/// the JSON stays plain numbers.</summary>
public sealed class OutboundConfig
{
    /// <summary>Resolver for MX/A/AAAA lookups, "address" or "address:port"; empty uses the system's.</summary>
    public string? DnsServer { get; set; }

    /// <summary>Port of remote MX hosts: 25 on the Internet, a high port in tests.</summary>
    public int SmtpPort { get; set; } = 25;

    public int MaxAgeSeconds { get; set; } = 5 * 24 * 3600;
    public int DelayWarningSeconds { get; set; } = 4 * 3600;
    public int FirstRetrySeconds { get; set; } = 300;
    public int MaxRetryIntervalSeconds { get; set; } = 7200;
    public int MaxConcurrentDestinations { get; set; } = 20;
    public int ConnectionsPerDestination { get; set; } = 2;
    public int MessagesPerConnection { get; set; } = 50;
    public int ConnectTimeoutSeconds { get; set; } = 30;
    public int CommandTimeoutSeconds { get; set; } = 300;
    public int MaxReceivedHeaders { get; set; } = 50;

    /// <summary>Messages an authenticated user may submit per hour unless <c>vigil sender rate</c> says otherwise.</summary>
    public int MessagesPerHour { get; set; } = 500;

    public OutboundOptions ToOptions(string hostname) => new()
    {
        Hostname = hostname,
        DnsServer = string.IsNullOrWhiteSpace(DnsServer) ? null : DnsServer,
        SmtpPort = SmtpPort,
        MaxAge = TimeSpan.FromSeconds(MaxAgeSeconds),
        DelayWarning = TimeSpan.FromSeconds(DelayWarningSeconds),
        FirstRetry = TimeSpan.FromSeconds(FirstRetrySeconds),
        MaxRetryInterval = TimeSpan.FromSeconds(MaxRetryIntervalSeconds),
        MaxConcurrentDestinations = MaxConcurrentDestinations,
        ConnectionsPerDestination = ConnectionsPerDestination,
        MessagesPerConnection = MessagesPerConnection,
        ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSeconds),
        CommandTimeout = TimeSpan.FromSeconds(CommandTimeoutSeconds),
        MaxReceivedHeaders = MaxReceivedHeaders,
    };
}
