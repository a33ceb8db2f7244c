using Vigil.Core.Outbound;
using Vigil.Net;

namespace Vigil.Ops.Lockdown;

/// <summary>Ends every open session on every listener when a lockdown is engaged.</summary>
public sealed class EndSessionsOnLockdown(ISessionControl sessions) : ILockdownParticipant
{
    public void Engaged(LockdownState state) => sessions.EndSessions(_ => true, state.ClientMessage);

    public void Lifted() { }
}

/// <summary>Holds outbound delivery while locked down; queued mail waits and is sent after release.</summary>
public sealed class PauseOutboundOnLockdown(OutboundPause pause) : ILockdownParticipant
{
    public void Engaged(LockdownState state) => pause.Pause("lockdown: " + state.Reason);

    public void Lifted() => pause.Resume();
}
