using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vigil.Core.Addressing;
using Vigil.Core.Audit;
using Vigil.Core.Storage;

namespace Vigil.Security.Auth;

/// <summary>A failed login as an administrator is a privileged event (issue 10, item 1): each is
/// audited as <c>auth.admin_failure</c> with the protocol and the client's address, so a week of
/// patient guessing at an admin account is on the tamper-evident record. Whether the name is an
/// admin is looked up after the login has been answered, off its path; the volume is bounded by
/// the auto-ban, which refuses a network before its attempts reach this observer.</summary>
public sealed partial class AdminLoginFailureAudit(IDirectoryStore directory, IAuditLog audit, ILogger<AdminLoginFailureAudit> logger) : IAuthAttemptObserver
{
    public const string Action = "auth.admin_failure";
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public void Record(AuthAttempt attempt)
    {
        if (attempt.Success || !EmailAddress.TryParse(attempt.User, out var address)) return;
        var task = Task.Run(() => AuditAsync(attempt, address)); // nothing of it on the login's path or its timing
        _pending[task] = 0;
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Waits until the attempts recorded so far are audited (tests, shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_pending.Keys);

    private async Task AuditAsync(AuthAttempt attempt, EmailAddress address)
    {
        try
        {
            var account = await directory.GetAccountAsync(address.LocalPart, address.Domain, CancellationToken.None);
            if (account?.IsAdmin != true) return;
            await audit.AppendAsync(new AuditEvent(attempt.Time, attempt.Remote.ToString(), attempt.Protocol, Action, account.Address,
                new Dictionary<string, string> { ["remote"] = attempt.Remote.ToString(), ["protocol"] = attempt.Protocol }), CancellationToken.None);
        }
#pragma warning disable CA1031 // an observer must never throw into a login
        catch (Exception ex)
        {
            LogFailed(logger, ex, address.ToString());
        }
#pragma warning restore CA1031
    }

    [LoggerMessage(EventId = 3006, EventName = "auth.admin_failure_audit_failed", Level = LogLevel.Error, Message = "Could not audit a failed administrator login for {User}")]
    private static partial void LogFailed(ILogger logger, Exception ex, string user);
}
