namespace Vigil.Ops;

/// <summary>Who asked for an operation, as written to the audit log: a name (an OS user at the
/// command line, "system" for scheduled work, a member id for fleet peers) and where from.</summary>
public sealed record Actor(string Name, string Source)
{
    public static Actor System(string component) => new("system", component);

    public static Actor CommandLine() => new(Environment.UserName, "cli");
}
