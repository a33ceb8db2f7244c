using System.Globalization;
using Vigil.Ops.Advisories;

namespace Vigil.Ops.Fleet.Console;

/// <summary>One thing the console wants an admin to look at.</summary>
public sealed record FleetFlag(string Name, string? Detail = null)
{
    public const string Silent = "SILENT";
    public const string Outdated = "OUTDATED";
    public const string FeedStale = "FEED-STALE";
    public const string Exposed = "EXPOSED";
    public const string LockedDown = "LOCKED-DOWN";
    public const string Integrity = "INTEGRITY";
    public const string BackupStale = "BACKUP-STALE";
    public const string AuditBroken = "AUDIT-BROKEN";

    public override string ToString() => Detail is null ? Name : $"{Name}({Detail})";
}

/// <summary>Turns a member's last heartbeat into flags. OUTDATED uses both the member's own
/// assessment and the console's feed, so a member that cannot see advisories is still flagged.</summary>
public static class MemberFlags
{
    public static IReadOnlyList<FleetFlag> Evaluate(StoredHeartbeat? last, AdvisoryFeed? consoleFeed, DateTimeOffset now, FleetOptions options)
    {
        if (last is null) return [new FleetFlag(FleetFlag.Silent, "never reported")];
        var flags = new List<FleetFlag>();
        var hb = last.Heartbeat;
        var age = now - last.ReceivedAt;
        if (age > TimeSpan.FromSeconds(Math.Max(1, hb.IntervalSeconds)) * options.SilentAfterIntervals)
            flags.Add(new FleetFlag(FleetFlag.Silent, $"last heartbeat {Ago(age)} ago"));

        if (WorstAdvisory(hb, consoleFeed) is { } worst) flags.Add(new FleetFlag(FleetFlag.Outdated, worst.ToWire()));
        if (hb.Advisories.Feed is "stale" or "missing") flags.Add(new FleetFlag(FleetFlag.FeedStale, hb.Advisories.Feed == "missing" ? "no feed" : null));

        var exposed = hb.Listeners.Where(l => l.BeyondLoopback && !l.DeclaredPublic).Select(l => l.Name).ToArray();
        if (exposed.Length > 0) flags.Add(new FleetFlag(FleetFlag.Exposed, string.Join(",", exposed)));
        if (hb.Lockdown?.Active == true) flags.Add(new FleetFlag(FleetFlag.LockedDown));
        if (hb.Integrity?.Problem == true) flags.Add(new FleetFlag(FleetFlag.Integrity));
        if (hb.Backup?.Problem == true) flags.Add(new FleetFlag(FleetFlag.BackupStale));
        if (last.AuditProblem is { } audit) flags.Add(new FleetFlag(FleetFlag.AuditBroken, AuditContinuity.Code(audit)));
        return flags;
    }

    /// <summary>The advisories naming the member's build, by its own report and by the console's feed.</summary>
    public static IReadOnlyList<string> AdvisoryIds(Messages.Heartbeat hb, AdvisoryFeed? consoleFeed) =>
        hb.Advisories.Affecting
            .Concat(consoleFeed?.Naming(hb.Build.BuildNumber).Select(a => a.Id) ?? [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static AdvisorySeverity? WorstAdvisory(Messages.Heartbeat hb, AdvisoryFeed? consoleFeed)
    {
        AdvisorySeverity? worst = AdvisorySeverityNames.TryParse(hb.Advisories.Worst, out var own) ? own : null;
        foreach (var a in consoleFeed?.Naming(hb.Build.BuildNumber) ?? [])
        {
            if (worst is null || a.Severity > worst) worst = a.Severity;
        }
        return worst;
    }

    public static string Ago(TimeSpan age) => age.TotalSeconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0}s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0}m"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0}h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:0}d"),
    };
}
