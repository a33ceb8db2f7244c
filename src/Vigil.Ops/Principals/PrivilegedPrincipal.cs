namespace Vigil.Ops.Principals;

/// <summary>Someone or something that holds power over the instance: an admin account, an app
/// password on an admin, a route or relay host mail may be sent through, a trusted advisory key,
/// a scheduled job. <see cref="Id"/> identifies it across checks; a new one is an alert.</summary>
public sealed record PrivilegedPrincipal(string Kind, string Name, string Detail = "")
{
    public const string Admin = "admin";
    public const string AdminAppPassword = "admin_app_password";
    public const string Route = "route";
    public const string TrustedKey = "trusted_key";
    public const string ScheduledJob = "scheduled_job";

    public string Id => Kind + ":" + Name;
}

/// <summary>Lists the privileged principals of one kind as they are now (the store, the config,
/// a key file). Each feature that creates principals registers one.</summary>
public interface IPrivilegedPrincipalSource
{
    Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct);
}
