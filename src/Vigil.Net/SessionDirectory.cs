using System.Collections.Concurrent;
using Vigil.Security.Auth;

namespace Vigil.Net;

/// <summary>Every listener of the running server, so sessions can be ended across all protocols at
/// once. Listeners add themselves when they start; the lockdown and the forced reset only need
/// this one object, which keeps them independent of how listeners are created.</summary>
public sealed class SessionDirectory : ISessionControl
{
    private readonly ConcurrentQueue<ISessionControl> _listeners = new();

    public void Add(ISessionControl listener) => _listeners.Enqueue(listener);

    public int EndSessions(Func<SessionScope, bool> match, string reason) => _listeners.Sum(l => l.EndSessions(match, reason));
}
