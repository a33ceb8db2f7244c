namespace Vigil.Ops.Advisories;

/// <summary>Whether this instance can see advisories.</summary>
public enum FeedHealth
{
    /// <summary>No verified feed at all: this instance cannot know whether it is outdated.</summary>
    Missing,
    Fresh,
    /// <summary>The feed has not been refreshed for longer than the stale limit (3 days).</summary>
    Stale,
}

/// <summary>This build held against the last accepted feed.</summary>
public sealed record AdvisoryAssessment(
    int BuildNumber,
    FeedHealth Feed,
    long? FeedSerial,
    DateTimeOffset? FeedPublished,
    DateTimeOffset? LastRefresh,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    IReadOnlyList<Advisory> Affecting)
{
    public bool Outdated => Affecting.Count > 0;

    public AdvisorySeverity? Worst => Affecting.Count == 0 ? null : Affecting.Max(a => a.Severity);

    /// <summary>The lowest build that fixes every advisory naming this one, if all have a fix.</summary>
    public int? UpgradeTo => Affecting.Count > 0 && Affecting.All(a => a.FixedIn is not null) ? Affecting.Max(a => a.FixedIn) : null;

    /// <summary>One word for status lines: OUTDATED beats FEED-STALE beats NO-FEED beats CURRENT.</summary>
    public string Word => Outdated ? "OUTDATED" : Feed switch
    {
        FeedHealth.Stale => "FEED-STALE",
        FeedHealth.Missing => "NO-FEED",
        _ => "CURRENT",
    };

    public static AdvisoryAssessment Of(int buildNumber, VerifiedFeed? feed, AdvisoryState state, DateTimeOffset now, TimeSpan staleAfter)
    {
        var health = feed is null ? FeedHealth.Missing
            : state.LastRefresh is not { } refreshed || now - refreshed > staleAfter ? FeedHealth.Stale
            : FeedHealth.Fresh;
        return new AdvisoryAssessment(
            buildNumber,
            health,
            feed?.Feed.Serial,
            feed?.Feed.Published,
            state.LastRefresh,
            state.LastError,
            state.LastErrorAt,
            feed?.Feed.Naming(buildNumber) ?? []);
    }
}
