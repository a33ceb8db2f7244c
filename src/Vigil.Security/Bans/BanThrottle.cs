using System.Net;
using Vigil.Security.Auth;

namespace Vigil.Security.Bans;

/// <summary>Refuses logins from a banned client that is still connected (it was banned mid-session,
/// or the ban was added by an admin after it connected).</summary>
public sealed class BanThrottle(BanList bans) : ILoginThrottle
{
    public LoginAdmission Admit(IPAddress remote, string user) =>
        bans.FindActive(remote) is null ? LoginAdmission.Allow : LoginAdmission.Refuse;
}
