namespace Vigil.Ops.Alerts;

/// <summary>One place alerts go (audit log, log, metric, e-mail, webhook, automatic response).
/// A sink may fail; the dispatcher logs that and the other sinks still get the alert.</summary>
public interface IAlertSink
{
    Task SendAsync(Alert alert, CancellationToken ct);
}
