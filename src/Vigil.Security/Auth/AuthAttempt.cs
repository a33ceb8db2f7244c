using System.Net;

namespace Vigil.Security.Auth;

/// <summary>One login attempt on any protocol, as seen by the auto-ban and the logs.</summary>
public sealed record AuthAttempt(IPAddress Remote, string User, string Protocol, bool Success, DateTimeOffset Time);

/// <summary>Hears every login attempt (auto-ban counting, metrics). Implementations must be fast
/// and must not throw.</summary>
public interface IAuthAttemptObserver
{
    void Record(AuthAttempt attempt);
}
