using System.Net;
using Vigil.Net;

namespace Vigil.Ops.Lockdown;

/// <summary>Refuses every new connection while locked down, with the protocol's "service
/// unavailable" reply (SMTP 421 4.3.2, IMAP/POP3 BYE); HTTP stays reachable from the allowed admin
/// networks so the admin can work.</summary>
public sealed class LockdownGate(LockdownMonitor monitor) : IConnectionGate
{
    public bool RefusesService => true;

    public string? Check(IPAddress remote, string protocol)
    {
        var state = monitor.Current;
        if (state is null) return null;
        if (protocol == "http" && state.Allows(remote)) return null;
        return state.ClientMessage;
    }
}
