using System.Net;

namespace Vigil.Net;

/// <summary>A check run on every accepted socket before the session starts (bans, lockdown).
/// Returns null to let the connection in, or the reason it is refused.</summary>
public interface IConnectionGate
{
    string? Check(IPAddress remote, string protocol);
}
