using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Lockdown;

/// <summary>The lockdown state for heartbeats and <c>vigil status</c>, read from the persisted file
/// so it is right in the CLI as well as in the server.</summary>
public sealed class LockdownFactsSource(LockdownStore store) : ILockdownFacts
{
    public LockdownFacts Current() => store.Read() is { } state ? new LockdownFacts(true, state.Reason) : new LockdownFacts(false, null);
}
