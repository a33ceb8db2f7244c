using Vigil.Ops.Advisories;

namespace Vigil.Ops.Fleet.Actions;

/// <summary>check-now: refresh the advisory feed from this member's own configured source (never
/// from anything in the message) and report the result.</summary>
public sealed class CheckNowHandler(AdvisoryService advisories) : IFleetActionHandler
{
    public FleetAction Action => FleetAction.CheckNow;

    public async Task<string> ExecuteAsync(FleetActionContext context, CancellationToken ct)
    {
        var result = await advisories.RefreshAsync(null, new Actor(context.ConsoleId, "fleet"), ct);
        var a = result.Assessment;
        var feed = result.Refusal is { } r ? $"feed refused ({r.Code})" : $"feed {result.Outcome.ToString().ToLowerInvariant()}";
        return $"{feed}; build {a.BuildNumber} {a.Word}{(a.Worst is { } w ? $" ({w.ToWire()})" : "")}";
    }
}
