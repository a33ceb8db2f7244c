using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Facts;

// What an instance reports about itself in heartbeats and `vigil status`. Each feature that owns
// a fact implements its interface and registers it; an unregistered fact is reported as absent
// (null), never guessed.

/// <summary>A bound listener as the host knows it.</summary>
public sealed record ListenerEndpoint(string Name, string Protocol, string Address, int Port, bool Tls);

/// <summary>The listeners this process has bound right now (host).</summary>
public interface IListenerInventory
{
    IReadOnlyList<ListenerEndpoint> Current();
}

/// <summary>Whether the instance is locked down (lockdown feature).</summary>
public interface ILockdownFacts
{
    LockdownFacts Current();
}

/// <summary>The integrity watch's verdict (integrity feature).</summary>
public interface IIntegrityFacts
{
    ProblemFacts Current();
}

/// <summary>Whether backups are recent and verified (backup feature).</summary>
public interface IBackupFacts
{
    ProblemFacts Current();
}
