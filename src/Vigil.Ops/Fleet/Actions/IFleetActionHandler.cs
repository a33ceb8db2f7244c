namespace Vigil.Ops.Fleet.Actions;

/// <summary>Carries out one enumerated action on a member, after the action was verified (pinned
/// console key, fresh, never seen). Register with
/// <see cref="OpsServiceCollectionExtensions.AddFleetActionHandler{T}"/>; an action with no
/// registered handler is refused as unknown.</summary>
public interface IFleetActionHandler
{
    FleetAction Action { get; }

    /// <summary>Returns a one-line description of what was done, reported back to the console.</summary>
    Task<string> ExecuteAsync(FleetActionContext context, CancellationToken ct);
}

/// <summary>What a handler is told: which action, from which console, and its id (for the audit).</summary>
public sealed record FleetActionContext(string ActionId, FleetAction Action, string ConsoleId, DateTimeOffset IssuedAt);
