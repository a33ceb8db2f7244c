using System.Diagnostics.Metrics;

namespace Vigil.Core.Observability;

/// <summary>The one <see cref="Meter"/> every part of Vigil records on. Instrument names use
/// underscores as they appear in Prometheus: a counter <c>vigil_x</c> is scraped as
/// <c>vigil_x_total</c>; a unit of "s" adds <c>_seconds</c> (see docs/metrics.md).</summary>
public static class VigilMetrics
{
    public const string MeterName = "Vigil";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>SMTP transactions by result (accepted, rejected, aborted) and listener.</summary>
    public static readonly Counter<long> SmtpMessages = Meter.CreateCounter<long>("vigil_smtp_messages", description: "SMTP transactions by result");

    public static readonly Counter<long> SmtpBytes = Meter.CreateCounter<long>("vigil_smtp_received_bytes", unit: "By", description: "Bytes of accepted messages");

    /// <summary>Login attempts on every protocol by outcome.</summary>
    public static readonly Counter<long> Logins = Meter.CreateCounter<long>("vigil_auth_attempts", description: "Login attempts by protocol and outcome");

    /// <summary>Connections accepted or refused at the listener.</summary>
    public static readonly Counter<long> Connections = Meter.CreateCounter<long>("vigil_connections", description: "Connections by listener and outcome");
}
