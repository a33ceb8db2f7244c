using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Reset;

namespace Vigil.Ops.Lockdown;

/// <summary>The console's "lockdown" action: the same lockdown as <c>vigil lockdown on</c>, with
/// the console as the actor. No network is allowed through: the message carries no arguments.</summary>
public sealed class FleetLockdownHandler(LockdownService lockdown) : IFleetActionHandler
{
    public FleetAction Action => FleetAction.Lockdown;

    public async Task<string> ExecuteAsync(FleetActionContext context, CancellationToken ct)
    {
        if (lockdown.Current is { } already) return $"already locked down: {already.Reason}";
        var state = await lockdown.EngageAsync($"ordered by fleet console {context.ConsoleId}", [], context.ConsoleId, "fleet", ct);
        return $"locked down: {state.Reason}";
    }
}

/// <summary>The console's "force-reset" action: every account's password expires and every
/// session ends, as with <c>vigil user force-reset --all</c>.</summary>
public sealed class FleetForceResetHandler(ForcedResetService reset) : IFleetActionHandler
{
    public FleetAction Action => FleetAction.ForceReset;

    public async Task<string> ExecuteAsync(FleetActionContext context, CancellationToken ct)
    {
        var accounts = await reset.ResetAsync(ForcedResetScope.Everyone, context.ConsoleId, "fleet", ct);
        return $"{accounts.Count} account(s) must set a new password";
    }
}
