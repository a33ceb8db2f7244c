namespace Vigil.Web.Auth;

/// <summary>The ways a caller can prove who it is, and the policies built on them.</summary>
public static class AuthSchemes
{
    /// <summary>The default: authenticates nobody, so a route that names no other scheme refuses everyone.</summary>
    public const string Deny = "Deny";

    /// <summary>A one-time fleet enrollment token in <c>Authorization: VigilEnroll TOKEN</c>.</summary>
    public const string EnrollmentToken = "VigilEnroll";

    /// <summary>A heartbeat body signed by the key pinned for an enrolled member.</summary>
    public const string MemberSignature = "VigilMember";

    public const string FleetEnrolleePolicy = "fleet-enrollee";
    public const string FleetMemberPolicy = "fleet-member";
}
