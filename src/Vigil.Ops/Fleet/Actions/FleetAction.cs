namespace Vigil.Ops.Fleet.Actions;

/// <summary>The complete set of things a console may ask of a member. A message can only name
/// one of these; it carries no URL, path, command or argument, so there is nothing in it to run
/// or fetch (DESIGN.md, the ConnectToHub lesson).</summary>
public enum FleetAction
{
    /// <summary>Refresh the advisory feed now and report.</summary>
    CheckNow,

    /// <summary>Stop serving (handler provided by the lockdown feature).</summary>
    Lockdown,

    /// <summary>Expire every credential and end every session (handler provided by the lockdown feature).</summary>
    ForceReset,
}

public static class FleetActionNames
{
    private static readonly Dictionary<FleetAction, string> Names = new()
    {
        [FleetAction.CheckNow] = "check-now",
        [FleetAction.Lockdown] = "lockdown",
        [FleetAction.ForceReset] = "force-reset",
    };

    public static IEnumerable<string> All => Names.Values;

    public static string ToWire(this FleetAction action) => Names[action];

    /// <summary>Exact, case-sensitive match against the enumerated names; nothing else parses.</summary>
    public static bool TryParse(string? name, out FleetAction action)
    {
        foreach (var (a, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                action = a;
                return true;
            }
        }
        action = default;
        return false;
    }
}
