namespace Vigil.Ops.Alerts;

/// <summary>Something an admin must look at now: a changed program file, an unknown file in the
/// data directory, a new admin, a forced reset. <see cref="Kind"/> is a stable dotted name
/// (<see cref="AlertKinds"/>); <see cref="Subject"/> names what it is about (a path, an address).</summary>
public sealed record Alert(string Kind, string Subject, string Detail, string Source, DateTimeOffset Time)
{
    public override string ToString() => $"{Kind}: {Subject} — {Detail}";
}

/// <summary>Every alert kind Vigil raises (docs/incident-response.md lists what each means).</summary>
public static class AlertKinds
{
    public const string ProgramChanged = "integrity.program_changed";
    public const string ProgramAdded = "integrity.program_added";
    public const string ProgramRemoved = "integrity.program_removed";
    public const string ManifestInvalid = "integrity.manifest_invalid";
    public const string UnexpectedFile = "integrity.unexpected_file";
    public const string BlobMismatch = "integrity.blob_mismatch";
    public const string BlobMissing = "integrity.blob_missing";
    public const string BlobBurst = "integrity.blob_burst";
    public const string ConfigChanged = "integrity.config_changed";
    public const string NewAdmin = "principal.admin_added";
    public const string NewAppPassword = "principal.admin_app_password_added";
    public const string NewRoute = "principal.route_added";
    public const string NewTrustedKey = "principal.trusted_key_added";
    public const string NewScheduledJob = "principal.scheduled_job_added";
    public const string ForcedReset = "account.force_reset";
    public const string FleetAuditBroken = "fleet.audit_broken";
    public const string FleetMemberAlert = "fleet.member_alert";

    /// <summary>The kinds an automatic lockdown responds to: attackers' code in the program, or
    /// data being encrypted.</summary>
    public static bool TriggersLockdown(string kind) =>
        kind is ProgramChanged or ProgramAdded or ProgramRemoved or ManifestInvalid or BlobBurst;
}
