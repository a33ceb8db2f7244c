namespace Vigil.Ops.Advisories;

/// <summary>How bad an advisory is, in increasing order (the order is used to find the worst).</summary>
public enum AdvisorySeverity
{
    Low,
    Medium,
    High,
    Critical,
}

public static class AdvisorySeverityNames
{
    public static string ToWire(this AdvisorySeverity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>Parses the lower-case wire names only; anything else is not a severity.</summary>
    public static bool TryParse(string? value, out AdvisorySeverity severity)
    {
        foreach (var s in Enum.GetValues<AdvisorySeverity>())
        {
            if (s.ToWire() == value)
            {
                severity = s;
                return true;
            }
        }
        severity = default;
        return false;
    }
}
