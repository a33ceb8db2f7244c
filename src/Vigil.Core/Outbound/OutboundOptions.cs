namespace Vigil.Core.Outbound;

/// <summary>How the outbound queue schedules, retries and reports. Defaults follow Postfix's
/// (maximal_queue_lifetime 5d, delay_warning_time 4h) and RFC 5321 §4.5.4.1 (retry at least
/// 30 minutes apart once the first attempts have failed, give up after 4–5 days).</summary>
public sealed record OutboundOptions
{
    /// <summary>The name this server uses in EHLO, Received and as the DSN Reporting-MTA.</summary>
    public string Hostname { get; init; } = "localhost";

    /// <summary>The TCP port of remote MX hosts. Always 25 on the Internet; tests use a high port.</summary>
    public int SmtpPort { get; init; } = 25;

    /// <summary>DNS server for MX/A/AAAA lookups, "address" or "address:port"; null uses the system resolvers.</summary>
    public string? DnsServer { get; init; }

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(5);
    public TimeSpan DelayWarning { get; init; } = TimeSpan.FromHours(4);
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Destinations (recipient domains or smart hosts) delivered to at the same time.</summary>
    public int MaxConcurrentDestinations { get; init; } = 20;

    /// <summary>Parallel connections to one destination.</summary>
    public int ConnectionsPerDestination { get; init; } = 2;

    /// <summary>Messages sent over one connection before it is closed and a new batch is taken.</summary>
    public int MessagesPerConnection { get; init; } = 50;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>RFC 5321 §4.5.3.2 gives each command minutes; one bound keeps a stuck peer from
    /// holding a worker for longer.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 §6.3: more Received fields than this means a mail loop; the message bounces.</summary>
    public int MaxReceivedHeaders { get; init; } = 50;

    /// <summary>A bounce carries the whole original message only up to this size; larger ones
    /// return the headers only (RFC 3461 §4.3 lets the MTA choose when RET is absent).</summary>
    public long MaxReturnedMessageBytes { get; init; } = 1024 * 1024;
}
