using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Observability;

namespace Vigil.Ops.Alerts;

/// <summary>Every alert is an audit entry <c>alert.&lt;kind&gt;</c>: tamper-evident, and what
/// <c>vigil audit show --action alert.</c> and <c>vigil status</c> read back.</summary>
public sealed class AuditAlertSink(IAuditLog audit) : IAlertSink
{
    public const string ActionPrefix = "alert.";

    public Task SendAsync(Alert alert, CancellationToken ct) =>
        audit.AppendAsync(new AuditEvent(alert.Time, "vigil", alert.Source, ActionPrefix + alert.Kind, alert.Subject,
            new Dictionary<string, string> { ["detail"] = alert.Detail }), ct);
}

/// <summary>Every alert is a critical log line.</summary>
public sealed partial class LogAlertSink(ILogger<LogAlertSink> logger) : IAlertSink
{
    public Task SendAsync(Alert alert, CancellationToken ct)
    {
        LogAlert(logger, alert.Kind, alert.Subject, alert.Detail, alert.Source);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 10300, EventName = "alert", Level = LogLevel.Critical, Message = "ALERT {Kind}: {Subject} — {Detail} (from {Source})")]
    private static partial void LogAlert(ILogger logger, string kind, string subject, string detail, string source);
}

/// <summary>Counts alerts by kind: <c>vigil_integrity_alerts_total{kind="…"}</c> in Prometheus.</summary>
public sealed class MetricAlertSink : IAlertSink
{
    public static readonly Counter<long> Alerts = VigilMetrics.Meter.CreateCounter<long>("vigil_integrity_alerts", description: "Integrity and privileged-change alerts by kind");

    public Task SendAsync(Alert alert, CancellationToken ct)
    {
        Alerts.Add(1, new KeyValuePair<string, object?>("kind", alert.Kind));
        return Task.CompletedTask;
    }
}
