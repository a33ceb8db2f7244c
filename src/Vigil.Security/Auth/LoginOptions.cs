namespace Vigil.Security.Auth;

/// <summary>How <see cref="LoginService"/> answers.</summary>
public sealed record LoginOptions
{
    /// <summary>Every failed login is answered no sooner than this after it began, whether the user
    /// exists or not, the password was wrong, or the client is banned: one reply, one timing
    /// (Dovecot's auth_failure_delay defaults to 2 s as well).</summary>
    public TimeSpan FailureResponseTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Password checks (Argon2id, CPU- and memory-hard on purpose) run at most this many at
    /// once; further logins wait their turn without holding a thread, so a burst of logins cannot
    /// take every core and thread from the sessions already running. 0 means one per CPU.</summary>
    public int MaxConcurrentChecks { get; init; }
}
