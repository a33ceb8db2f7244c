namespace Vigil.Ops.Alerts;

/// <summary>Where alerts go besides the audit log, the log and the metric, and whether the gravest
/// ones lock the instance down.</summary>
public sealed record AlertOptions(string Hostname, string InstanceId, string? Email, Uri? Webhook, bool AutoLockdown);
