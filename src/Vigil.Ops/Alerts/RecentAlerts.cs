namespace Vigil.Ops.Alerts;

/// <summary>The newest alerts this process raised, for the fleet heartbeat: a member's alerts reach
/// its console, which raises them again on its own sinks (issue 10, item 3), so one webhook or
/// mailbox at the console hears of a dropped file on any member.</summary>
public sealed class RecentAlerts : IAlertSink
{
    /// <summary>How many a heartbeat carries; the console forwards each once.</summary>
    public const int Keep = 20;
    private readonly Queue<Alert> _alerts = new();

    public Task SendAsync(Alert alert, CancellationToken ct)
    {
        lock (_alerts)
        {
            _alerts.Enqueue(alert);
            while (_alerts.Count > Keep) _alerts.Dequeue();
        }
        return Task.CompletedTask;
    }

    public IReadOnlyList<Alert> Current()
    {
        lock (_alerts) return _alerts.ToArray();
    }
}
