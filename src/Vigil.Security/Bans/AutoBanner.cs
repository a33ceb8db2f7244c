using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Security.Auth;
using Vigil.Security.Limits;

namespace Vigil.Security.Bans;

/// <summary>The auto-ban: counts failed logins per client network over every protocol (SMTP AUTH,
/// IMAP, POP3, HTTP all report through <see cref="LoginService"/>) and bans a network that fails
/// <see cref="AutoBanOptions.MaxFailuresPerIp"/> times within the window. A success does not reset
/// the count, so an attacker holding one valid account cannot launder guesses at others.</summary>
public sealed partial class AutoBanner : IAuthAttemptObserver
{
    private readonly BanList _bans;
    private readonly AutoBanOptions _options;
    private readonly ILogger<AutoBanner> _logger;
    private readonly WindowCounter<IPNetwork> _failures;
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public AutoBanner(BanList bans, AutoBanOptions options, TimeProvider time, ILogger<AutoBanner> logger)
    {
        _bans = bans;
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
            await _bans.BanAutomaticallyAsync(network, reason, CancellationToken.None);
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
