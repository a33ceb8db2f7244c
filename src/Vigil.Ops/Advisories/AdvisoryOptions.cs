namespace Vigil.Ops.Advisories;

/// <summary>Advisory settings (<c>advisories</c> in vigil.json).</summary>
public sealed record AdvisoryOptions
{
    /// <summary>An http(s) URL or a file path (relative paths are relative to the data directory);
    /// null when no feed is configured, which is itself reported as a warning.</summary>
    public string? Source { get; init; }

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How often an outdated or blind instance repeats its warning in the log.</summary>
    public TimeSpan WarnInterval { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromDays(3);

    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
