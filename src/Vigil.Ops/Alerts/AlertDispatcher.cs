using Microsoft.Extensions.Logging;

namespace Vigil.Ops.Alerts;

/// <summary>Raises an alert on every sink at once. A slow webhook or a full disk on one sink must
/// not keep the alert from the others, so each runs on its own and its failure is only logged.</summary>
public sealed partial class AlertDispatcher(IEnumerable<IAlertSink> sinks, ILogger<AlertDispatcher> logger)
{
    private readonly IAlertSink[] _sinks = sinks.ToArray();

    public async Task RaiseAsync(Alert alert, CancellationToken ct)
    {
        await Task.WhenAll(_sinks.Select(sink => SendAsync(sink, alert, ct)));
    }

    private async Task SendAsync(IAlertSink sink, Alert alert, CancellationToken ct)
    {
        try
        {
            await sink.SendAsync(alert, ct);
        }
#pragma warning disable CA1031 // every sink failure is logged; none may stop the others
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogSinkFailed(logger, ex, sink.GetType().Name, alert.Kind, alert.Subject);
        }
#pragma warning restore CA1031
    }

    [LoggerMessage(EventId = 10301, EventName = "alert.sink_failed", Level = LogLevel.Error, Message = "Alert sink {Sink} failed for {Kind} {Subject}")]
    private static partial void LogSinkFailed(ILogger logger, Exception ex, string sink, string kind, string subject);
}
