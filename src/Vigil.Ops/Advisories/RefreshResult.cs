namespace Vigil.Ops.Advisories;

public enum RefreshOutcome
{
    /// <summary>A newer feed was verified and is now the one in force.</summary>
    Accepted,
    /// <summary>The same feed as before, verified again: the feed counts as refreshed.</summary>
    Unchanged,
    /// <summary>The feed could not be read or was not trusted; the previous one stays in force.</summary>
    Refused,
    /// <summary>No source is configured.</summary>
    NotConfigured,
}

public sealed record RefreshResult(RefreshOutcome Outcome, string? Source, FeedRefusal? Refusal, AdvisoryAssessment Assessment);
