using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Net;
using Vigil.Security.Auth;

namespace Vigil.Ops.Reset;

/// <summary>The server side of <see cref="SessionEndRequest"/>: polls the request directory, ends
/// the named accounts' sessions on every listener, and removes each request it carried out.
/// Requests found at start-up are removed unread: no session predates the server.</summary>
public sealed partial class SessionEndRequestWatcher(string directory, TimeSpan poll, SessionDirectory sessions, ILogger<SessionEndRequestWatcher> logger) : BackgroundService
{
    /// <summary>Ends sessions in this process directly (fleet actions, integrity responses).</summary>
    public ISessionEnder Direct { get; } = new DirectEnder(sessions);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Directory.Exists(directory))
        {
            foreach (var stale in Directory.EnumerateFiles(directory)) File.Delete(stale);
        }
        using var timer = new PeriodicTimer(poll);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!Directory.Exists(directory)) continue;
            foreach (var path in Directory.EnumerateFiles(directory, "*" + SessionEndRequest.Extension).Order(StringComparer.Ordinal))
            {
                var request = SessionEndRequest.Read(path);
                if (request is { AppPasswords: { } apps })
                {
                    LogEndedAppPasswords(logger, sessions.EndSessions(OpenedWith(apps), request.Reason), apps.Count, request.Reason);
                }
                else if (request is not null)
                {
                    var ids = request.Accounts.ToHashSet();
                    var ended = sessions.EndSessions(s => s.AccountId is { } id && ids.Contains(id), request.Reason);
                    LogEnded(logger, ended, ids.Count, request.Reason);
                }
                File.Delete(path);
            }
        }
    }

    private static Func<SessionScope, bool> OpenedWith(IEnumerable<long> appPasswordIds)
    {
        var ids = appPasswordIds.ToHashSet();
        return s => s.AppPasswordId is { } id && ids.Contains(id);
    }

    [LoggerMessage(EventId = 10202, EventName = "sessions.ended_app_passwords", Level = LogLevel.Warning, Message = "Ended {Sessions} session(s) opened with {AppPasswords} app password(s): {Reason}")]
    private static partial void LogEndedAppPasswords(ILogger logger, int sessions, int appPasswords, string reason);

    [LoggerMessage(EventId = 10201, EventName = "sessions.ended_on_request", Level = LogLevel.Warning, Message = "Ended {Sessions} session(s) of {Accounts} account(s): {Reason}")]
    private static partial void LogEnded(ILogger logger, int sessions, int accounts, string reason);

    private sealed class DirectEnder(SessionDirectory sessions) : ISessionEnder
    {
        public Task EndAsync(IReadOnlyCollection<long> accountIds, string reason, CancellationToken ct)
        {
            var ids = accountIds.ToHashSet();
            sessions.EndSessions(s => s.AccountId is { } id && ids.Contains(id), reason);
            return Task.CompletedTask;
        }

        public Task EndAppPasswordSessionsAsync(IReadOnlyCollection<long> appPasswordIds, string reason, CancellationToken ct)
        {
            sessions.EndSessions(OpenedWith(appPasswordIds), reason);
            return Task.CompletedTask;
        }
    }
}
