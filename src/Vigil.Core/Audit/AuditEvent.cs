namespace Vigil.Core.Audit;

/// <summary>One privileged change: who did what to which target, from where.</summary>
public sealed record AuditEvent(
    DateTimeOffset Time,
    string Actor,
    string Source,
    string Action,
    string Target,
    IReadOnlyDictionary<string, string>? Details = null);
