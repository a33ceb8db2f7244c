using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Security.Auth;
using Vigil.Security.Limits;

namespace Vigil.Security.Bans;

/// <summary>The auto-ban: counts failed logins per client network over every protocol (SMTP AUTH,
/// IMAP, POP3, HTTP all report through <see cref="LoginService"/>) and bans a network that fails
/// <see cref="AutoBanOptions.MaxFailuresPerIp"/> times within the window. A success does not reset
/// the count, so an attacker holding one valid account cannot launder guesses at others. Each
/// automatic ban is audited (<c>ban.auto</c>) like an admin's.</summary>
public sealed partial class AutoBanner : IAuthAttemptObserver
{
    private readonly BanList _bans;
    private readonly AutoBanOptions _options;
    private readonly ILogger<AutoBanner> _logger;
    private readonly WindowCounter<IPNetwork> _failures;
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly IAuditLog? _audit;
    private readonly TimeProvider _time;

    public AutoBanner(BanList bans, AutoBanOptions options, TimeProvider time, ILogger<AutoBanner> logger, IAuditLog? audit = null)
    {
        _bans = bans;
        _audit = audit;
        _time = time;
        _options = options;
        _logger = logger;
        _failures = new WindowCounter<IPNetwork>(options.FailureWindow, options.MaxTrackedKeys, time);
    }

    public void Record(AuthAttempt attempt)
    {
        if (attempt.Success || _bans.IsExempt(attempt.Remote)) return;
        var network = Networks.KeyOf(attempt.Remote, _options.Ipv4Prefix, _options.Ipv6Prefix);
        if (_failures.Add(network) < _options.MaxFailuresPerIp) return;
        _failures.Reset(network);
        var reason = $"{_options.MaxFailuresPerIp} failed logins within {_options.FailureWindow.TotalMinutes:0} min (last: {attempt.Protocol} as {Printable(attempt.User)})";
        Track(BanAsync(network, reason));
    }

    /// <summary>Failures counted for the network of <paramref name="address"/> in the current window.</summary>
    public int FailuresFrom(IPAddress address) => _failures.Count(Networks.KeyOf(address, _options.Ipv4Prefix, _options.Ipv6Prefix));

    /// <summary>Waits until bans placed so far are saved (tests, shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_pending.Keys);

    private async Task BanAsync(IPNetwork network, string reason)
    {
        try
        {
            var ban = await _bans.BanAutomaticallyAsync(network, reason, CancellationToken.None);
            if (_audit is not null && ban.Reason == reason) // not when a ban on the network already stood
            {
                await _audit.AppendAsync(new AuditEvent(_time.GetUtcNow(), "vigil", "auto-ban", "ban.auto", network.ToString(),
                    new Dictionary<string, string> { ["reason"] = ban.Reason, ["expires"] = ban.Expires?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never" }), CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // an observer must never throw into a login; the ban is in memory already
        catch (Exception ex)
        {
            LogSaveFailed(_logger, ex, network.ToString());
        }
#pragma warning restore CA1031
    }

    private void Track(Task task)
    {
        _pending[task] = 0;
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), TaskScheduler.Default);
    }

    // The user name is attacker-chosen: keep it printable and short in logs and ban reasons.
    private static string Printable(string user) => new(user.Where(c => c is >= ' ' and < (char)127).Take(64).ToArray());

    [LoggerMessage(EventId = 3103, EventName = "ban.save_failed", Level = LogLevel.Error, Message = "Could not save the ban of {Network}; it holds until restart")]
    private static partial void LogSaveFailed(ILogger logger, Exception ex, string network);
}
