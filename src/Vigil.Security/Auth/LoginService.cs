using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Core.Accounts;
using Vigil.Core.Observability;

namespace Vigil.Security.Auth;

/// <summary>The one place every protocol checks a password: it authenticates, tells the observers
/// (auto-ban) and logs the outcome, so SMTP, IMAP, POP3 and HTTP count failures the same way.</summary>
public sealed partial class LoginService(AccountService accounts, IEnumerable<IAuthAttemptObserver> observers, ILogger<LoginService> logger)
{
    private readonly IAuthAttemptObserver[] _observers = observers.ToArray();

    public async Task<AuthResult> LoginAsync(IPAddress remote, string protocol, string user, string password, CancellationToken ct)
    {
        var result = await accounts.AuthenticateAsync(user, password, ct);
        var attempt = new AuthAttempt(remote, user, protocol, result.Succeeded, DateTimeOffset.UtcNow);
        foreach (var o in _observers) o.Record(attempt);
        VigilMetrics.Logins.Add(1, new KeyValuePair<string, object?>("protocol", protocol), new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        if (result.Succeeded) LogSuccess(logger, protocol, user, remote.ToString());
        else LogFailure(logger, protocol, user, remote.ToString(), result.Outcome.ToString());
        return result;
    }

    [LoggerMessage(EventId = 3001, EventName = "auth.success", Level = LogLevel.Information, Message = "{Protocol} login {User} from {Remote}")]
    private static partial void LogSuccess(ILogger logger, string protocol, string user, string remote);

    [LoggerMessage(EventId = 3002, EventName = "auth.failure", Level = LogLevel.Warning, Message = "{Protocol} login failed for {User} from {Remote}: {Outcome}")]
    private static partial void LogFailure(ILogger logger, string protocol, string user, string remote, string outcome);
}
