using System.Net;
using Vigil.Security.Auth;
using Vigil.Security.Limits;

namespace Vigil.Security.Bans;

/// <summary>Per-account slow-down instead of lockout (a lockout lets anyone lock a user out by
/// guessing wrong on purpose). After <see cref="AutoBanOptions.FreeAccountFailures"/> failures for a
/// login name within the window, each further attempt for that name waits, doubling up to
/// <see cref="AutoBanOptions.MaxLoginDelay"/>. Counting is by the name as typed, so a name that does
/// not exist is slowed exactly like one that does (no enumeration by timing). A network that has
/// logged in to the account before is not slowed, so the owner keeps working during an attack.</summary>
public sealed class AccountThrottle : IAuthAttemptObserver, ILoginThrottle
{
    private readonly AutoBanOptions _options;
    private readonly WindowCounter<string> _failures;
    private readonly WindowCounter<(string User, IPNetwork Network)> _known;

    public AccountThrottle(AutoBanOptions options, TimeProvider time)
    {
        _options = options;
        _failures = new WindowCounter<string>(options.AccountFailureWindow, options.MaxTrackedKeys, time);
        _known = new WindowCounter<(string, IPNetwork)>(options.TrustKnownNetworkFor, options.MaxTrackedKeys, time);
    }

    public void Record(AuthAttempt attempt)
    {
        var user = Normalise(attempt.User);
        if (attempt.Success) _known.Add((user, NetworkOf(attempt.Remote)));
        else _failures.Add(user);
    }

    public LoginAdmission Admit(IPAddress remote, string user) => LoginAdmission.After(DelayFor(remote, user));

    public TimeSpan DelayFor(IPAddress remote, string user)
    {
        var name = Normalise(user);
        var excess = _failures.Count(name) - _options.FreeAccountFailures;
        if (excess <= 0 || _known.Count((name, NetworkOf(remote))) > 0) return TimeSpan.Zero;
        var ticks = _options.LoginDelayStep.Ticks * Math.Pow(2, Math.Min(excess - 1, 30));
        return ticks >= _options.MaxLoginDelay.Ticks ? _options.MaxLoginDelay : TimeSpan.FromTicks((long)ticks);
    }

    private IPNetwork NetworkOf(IPAddress address) => Networks.KeyOf(address, _options.Ipv4Prefix, _options.Ipv6Prefix);

    private static string Normalise(string user) => user.Trim().ToLowerInvariant();
}
