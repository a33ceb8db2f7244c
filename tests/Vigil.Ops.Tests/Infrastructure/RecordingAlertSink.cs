using Vigil.Ops.Alerts;

namespace Vigil.Ops.Tests.Infrastructure;

/// <summary>Keeps every alert it is sent.</summary>
public sealed class RecordingAlertSink : IAlertSink
{
    public List<Alert> Alerts { get; } = [];

    public Task SendAsync(Alert alert, CancellationToken ct)
    {
        lock (Alerts) Alerts.Add(alert);
        return Task.CompletedTask;
    }
}
