namespace Vigil.Ops.Advisories;

/// <summary>One security advisory: the builds it names (an inclusive range of build numbers), the
/// build that fixes it (null while there is no fix), and what an admin needs to know.</summary>
public sealed record Advisory(
    string Id,
    AdvisorySeverity Severity,
    int AffectedFrom,
    int AffectedTo,
    int? FixedIn,
    string Summary,
    DateTimeOffset Published)
{
    public bool Names(int buildNumber) => buildNumber >= AffectedFrom && buildNumber <= AffectedTo;
}

/// <summary>The signed list of advisories. <see cref="Serial"/> only ever grows: a feed with a
/// lower serial than one already accepted is a rollback and is refused.</summary>
public sealed record AdvisoryFeed(long Serial, DateTimeOffset Published, IReadOnlyList<Advisory> Advisories)
{
    public const string Product = "vigil";

    public IReadOnlyList<Advisory> Naming(int buildNumber) =>
        Advisories.Where(a => a.Names(buildNumber)).OrderByDescending(a => a.Severity).ThenBy(a => a.Id, StringComparer.Ordinal).ToArray();
}
