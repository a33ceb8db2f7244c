namespace Vigil.Core.Audit;

/// <summary>The append-only record of privileged changes.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEvent entry, CancellationToken ct);
}
