namespace Vigil.Ops.Integrity;

/// <summary>One thing the integrity watch found: its kind (an <see cref="Alerts.AlertKinds"/>
/// name), what it is about (a path relative to the program or data directory) and what is wrong.</summary>
public sealed record IntegrityFinding(string Kind, string Subject, string Detail)
{
    /// <summary>Identifies the same finding across scans, so it is alerted once, not every ten minutes.</summary>
    public string Key => Kind + " " + Subject;

    public override string ToString() => $"{Kind}: {Subject} — {Detail}";
}
