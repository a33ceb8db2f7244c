using Vigil.Security.Auth;

namespace Vigil.Net;

/// <summary>Ends open sessions on every listener: all of them (lockdown) or those of some accounts
/// (forced reset). Each ended session gets its protocol's unavailable reply with the reason.</summary>
public interface ISessionControl
{
    /// <summary>Ends every session <paramref name="match"/> selects; returns how many.</summary>
    int EndSessions(Func<SessionScope, bool> match, string reason);
}
