using Vigil.Core.Audit;

namespace Vigil.Security.Tests.Support;

/// <summary>Keeps audit events in memory so a test can read what was recorded.</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditEvent> _events = [];

    public IReadOnlyList<AuditEvent> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public Task AppendAsync(AuditEvent entry, CancellationToken ct)
    {
        lock (_events) _events.Add(entry);
        return Task.CompletedTask;
    }
}
