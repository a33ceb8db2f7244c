namespace Vigil.Security.Audit;

/// <summary>The first place the audit log stops being trustworthy: the entry sequence number where
/// the damage starts, where it was found, and what was found.</summary>
public sealed record AuditBreak(long Seq, string File, long Line, string Reason)
{
    public override string ToString() => $"entry {Seq} ({Path.GetFileName(File)} line {Line}): {Reason}";
}

/// <summary>The result of <see cref="AuditVerifier.Verify"/>: how much was checked and the first
/// break, if any.</summary>
public sealed record AuditVerification(long Entries, int Checkpoints, bool SignaturesChecked, AuditBreak? Break)
{
    public bool Ok => Break is null;
}
