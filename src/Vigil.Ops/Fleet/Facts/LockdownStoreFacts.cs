using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Lockdown;

namespace Vigil.Ops.Fleet.Facts;

/// <summary>Reports the lockdown file's state in heartbeats (LOCKED-DOWN on the console).</summary>
public sealed class LockdownStoreFacts(LockdownStore store) : ILockdownFacts
{
    public LockdownFacts Current() => store.Read() is { } state ? new LockdownFacts(true, state.Reason) : new LockdownFacts(false, null);
}
