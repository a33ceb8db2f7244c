using System.Net;

namespace Vigil.Net;

/// <summary>A check run on every accepted socket before the session starts (bans, lockdown).
/// Returns null to let the connection in, or the reason it is refused.</summary>
public interface IConnectionGate
{
    string? Check(IPAddress remote, string protocol);

    /// <summary>True when this gate's refusals mean the service as a whole is unavailable (lockdown)
    /// rather than that this client is unwelcome: the client then gets
    /// <see cref="IConnectionHandler.UnavailableReply"/>, which tells senders to retry later.</summary>
    bool RefusesService => false;
}
