namespace Vigil.Ops.Fleet;

/// <summary>Where fleet state lives: <c>DATA/fleet/</c>. Every file name under it is either fixed
/// or a hash or key id computed by us; nothing a peer sends becomes part of a path.</summary>
public sealed record FleetPaths(string Directory)
{
    // Console side.
    public string Tokens => Path.Combine(Directory, "tokens");
    public string Members => Path.Combine(Directory, "members");
    public string Member(string memberId) => Path.Combine(Members, Checked(memberId));
    public string MemberRecord(string memberId) => Path.Combine(Member(memberId), "member.json");
    public string MemberHeartbeat(string memberId) => Path.Combine(Member(memberId), "heartbeat.json");
    public string MemberOutbox(string memberId) => Path.Combine(Member(memberId), "outbox");
    public string MemberSent(string memberId) => Path.Combine(Member(memberId), "sent");
    public string MemberResults(string memberId) => Path.Combine(Member(memberId), "results.json");

    // Member side.
    public string Membership => Path.Combine(Directory, "membership.json");
    public string SeenActions => Path.Combine(Directory, "seen-actions.json");
    public string ActionResults => Path.Combine(Directory, "action-results.json");
    public string LastReport => Path.Combine(Directory, "last-report.json");
    public string Lock => Path.Combine(Directory, ".lock");

    private static string Checked(string memberId) =>
        Signing.KeyId.IsWellFormed(memberId) ? memberId : throw new ArgumentException("not a member id", nameof(memberId));
}
