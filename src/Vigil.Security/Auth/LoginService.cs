using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Core.Accounts;
using Vigil.Core.Observability;

namespace Vigil.Security.Auth;

/// <summary>The one place every protocol checks a password: it asks the throttles (bans, account
/// slow-down), authenticates, tells the observers (auto-ban) and logs the outcome, so SMTP, IMAP,
/// POP3 and HTTP count failures the same way, and which credentials a protocol accepts (app
/// passwords only for mail clients, <see cref="LoginProtocols.AcceptsAppPasswords"/>) is decided
/// here alone. Every failure takes at least
/// <see cref="LoginOptions.FailureResponseTime"/>, so timing does not tell an unknown user from a
/// wrong password or a refused client.</summary>
public sealed partial class LoginService
{
    private readonly AccountService _accounts;
    private readonly IAuthAttemptObserver[] _observers;
    private readonly ILoginThrottle[] _throttles;
    private readonly LoginOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LoginService> _logger;
    private readonly SemaphoreSlim _checks;

    public LoginService(AccountService accounts, IEnumerable<IAuthAttemptObserver> observers, IEnumerable<ILoginThrottle> throttles,
        LoginOptions options, TimeProvider time, ILogger<LoginService> logger)
    {
        _accounts = accounts;
        _observers = observers.ToArray();
        _throttles = throttles.ToArray();
        _options = options;
        _time = time;
        _logger = logger;
        var slots = options.MaxConcurrentChecks > 0 ? options.MaxConcurrentChecks : Environment.ProcessorCount;
        _checks = new SemaphoreSlim(slots, slots);
    }

    /// <summary>No throttles and no failure delay (tools and tests that do not exercise them).</summary>
    public LoginService(AccountService accounts, IEnumerable<IAuthAttemptObserver> observers, ILogger<LoginService> logger)
        : this(accounts, observers, [], new LoginOptions { FailureResponseTime = TimeSpan.Zero }, TimeProvider.System, logger)
    {
    }

    public async Task<AuthResult> LoginAsync(IPAddress remote, LoginProtocol loginProtocol, string user, string password, CancellationToken ct)
    {
        var protocol = loginProtocol.Name();
        var started = _time.GetTimestamp();
        var admission = Admit(remote, user);
        if (admission.Refused)
        {
            LogRefused(_logger, protocol, user, remote.ToString());
            VigilMetrics.Logins.Add(1, new KeyValuePair<string, object?>("protocol", protocol), new KeyValuePair<string, object?>("outcome", "Banned"));
            await PadFailureAsync(started, ct);
            return AuthResult.Failed;
        }
        if (admission.Delay > TimeSpan.Zero)
        {
            LogThrottled(_logger, protocol, user, remote.ToString(), admission.Delay.TotalSeconds);
            await Task.Delay(admission.Delay, _time, ct);
        }

        AuthResult result;
        await _checks.WaitAsync(ct);
        try
        {
            result = await _accounts.AuthenticateAsync(user, password, loginProtocol.AcceptsAppPasswords(), ct);
        }
        finally
        {
            _checks.Release();
        }
        var attempt = new AuthAttempt(remote, user, protocol, result.Succeeded, _time.GetUtcNow());
        foreach (var o in _observers) o.Record(attempt);
        VigilMetrics.Logins.Add(1, new KeyValuePair<string, object?>("protocol", protocol), new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        if (result.Succeeded)
        {
            SessionScope.Current?.SignedIn(result.Account!, result.AppPassword);
            if (result.AppPassword is { } app) LogAppPasswordSuccess(_logger, protocol, user, app.Name, remote.ToString());
            else LogSuccess(_logger, protocol, user, remote.ToString());
            return result;
        }
        LogFailure(_logger, protocol, user, remote.ToString(), result.Outcome.ToString());
        await PadFailureAsync(started, ct);
        return result;
    }

    /// <summary>The strictest decision of all throttles: any refusal wins, otherwise the longest delay.</summary>
    private LoginAdmission Admit(IPAddress remote, string user)
    {
        var delay = TimeSpan.Zero;
        foreach (var t in _throttles)
        {
            var a = t.Admit(remote, user);
            if (a.Refused) return a;
            if (a.Delay > delay) delay = a.Delay;
        }
        return LoginAdmission.After(delay);
    }

    private async Task PadFailureAsync(long started, CancellationToken ct)
    {
        var remaining = _options.FailureResponseTime - _time.GetElapsedTime(started);
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining, _time, ct);
    }

    [LoggerMessage(EventId = 3001, EventName = "auth.success", Level = LogLevel.Information, Message = "{Protocol} login {User} from {Remote}")]
    private static partial void LogSuccess(ILogger logger, string protocol, string user, string remote);

    [LoggerMessage(EventId = 3005, EventName = "auth.success_app_password", Level = LogLevel.Information, Message = "{Protocol} login {User} with app password {Name} from {Remote}")]
    private static partial void LogAppPasswordSuccess(ILogger logger, string protocol, string user, string name, string remote);

    [LoggerMessage(EventId = 3002, EventName = "auth.failure", Level = LogLevel.Warning, Message = "{Protocol} login failed for {User} from {Remote}: {Outcome}")]
    private static partial void LogFailure(ILogger logger, string protocol, string user, string remote, string outcome);

    [LoggerMessage(EventId = 3003, EventName = "auth.refused", Level = LogLevel.Warning, Message = "{Protocol} login for {User} refused: {Remote} is banned")]
    private static partial void LogRefused(ILogger logger, string protocol, string user, string remote);

    [LoggerMessage(EventId = 3004, EventName = "auth.throttled", Level = LogLevel.Information, Message = "{Protocol} login for {User} from {Remote} slowed down by {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string protocol, string user, string remote, double seconds);
}
