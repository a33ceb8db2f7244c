namespace Vigil.Host.Config;

/// <summary>Security advisories: where the signed feed comes from and how often it is read.</summary>
public sealed class AdvisoriesConfig
{
    /// <summary>An http(s) URL or a file path (relative to the data directory); null: none configured.</summary>
    public string? Source { get; set; }

    public int RefreshMinutes { get; set; } = 360;

    /// <summary>How often an outdated instance repeats its warning in the log.</summary>
    public int WarnMinutes { get; set; } = 60;

    /// <summary>A feed not refreshed for this long is stale (a warning of its own).</summary>
    public int StaleHours { get; set; } = 72;
}
