using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Ops.Advisories;

/// <summary>Keeps an outdated build loud: at start and every warn interval (1 h) it logs what
/// names this build and whether the feed is stale, and it refreshes the feed at start and every
/// refresh interval (6 h). It also holds the advisory metrics for as long as the server runs.</summary>
public sealed partial class AdvisoryWatchService(AdvisoryService advisories, TimeProvider time, ILogger<AdvisoryWatchService> logger, AdvisoryMetrics? metrics = null) : BackgroundService
{
    public AdvisoryMetrics? Metrics => metrics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = advisories.Options;
        Report(advisories.Assess());
        var nextRefresh = time.GetUtcNow();
        var nextWarn = nextRefresh + options.WarnInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now >= nextRefresh)
            {
                nextRefresh = now + options.RefreshInterval;
                var result = await advisories.RefreshAsync(null, Actor.System("advisories"), stoppingToken);
                if (result.Outcome == RefreshOutcome.NotConfigured) LogNoSource(logger);
                if (result.Outcome == RefreshOutcome.Accepted) Report(result.Assessment);
            }
            if (now >= nextWarn)
            {
                nextWarn = now + options.WarnInterval;
                Report(advisories.Assess());
            }
            var wait = (nextRefresh < nextWarn ? nextRefresh : nextWarn) - time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Logs the state loudly unless everything is fine, in which case one quiet line.</summary>
    public void Report(AdvisoryAssessment a)
    {
        if (a.Outdated)
        {
            var ids = string.Join(", ", a.Affecting.Select(x => x.Id));
            var upgrade = a.UpgradeTo is { } to ? $"upgrade to build {to} or later" : "no fixed build yet, see the advisories";
            LogOutdated(logger, a.BuildNumber, a.Affecting.Count, a.Worst!.Value.ToWire(), ids, upgrade);
            foreach (var x in a.Affecting) LogAdvisory(logger, x.Id, x.Severity.ToWire(), x.Summary);
        }
        switch (a.Feed)
        {
            case FeedHealth.Missing:
                LogMissing(logger, a.LastError ?? "no feed has been accepted yet");
                break;
            case FeedHealth.Stale:
                LogStale(logger, a.LastRefresh?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never", a.LastError ?? "none");
                break;
            default:
                if (!a.Outdated) LogCurrent(logger, a.BuildNumber, a.FeedSerial ?? 0);
                break;
        }
    }

    [LoggerMessage(EventId = 9010, EventName = "advisories.outdated", Level = LogLevel.Critical, Message = "SECURITY: this build ({Build}) is named by {Count} security advisories, worst {Severity}: {Ids}; {Upgrade}")]
    private static partial void LogOutdated(ILogger logger, int build, int count, string severity, string ids, string upgrade);

    [LoggerMessage(EventId = 9011, EventName = "advisories.outdated_detail", Level = LogLevel.Error, Message = "SECURITY: advisory {Id} ({Severity}): {Summary}")]
    private static partial void LogAdvisory(ILogger logger, string id, string severity, string summary);

    [LoggerMessage(EventId = 9012, EventName = "advisories.feed_stale", Level = LogLevel.Warning, Message = "Advisory feed not refreshed since {LastRefresh} (last error: {LastError}): this instance cannot see new advisories")]
    private static partial void LogStale(ILogger logger, string lastRefresh, string lastError);

    [LoggerMessage(EventId = 9013, EventName = "advisories.feed_missing", Level = LogLevel.Warning, Message = "No verified advisory feed ({Reason}): this instance cannot tell whether it is outdated")]
    private static partial void LogMissing(ILogger logger, string reason);

    [LoggerMessage(EventId = 9014, EventName = "advisories.current", Level = LogLevel.Information, Message = "Build {Build} is named by no advisory (feed serial {Serial})")]
    private static partial void LogCurrent(ILogger logger, int build, long serial);

    [LoggerMessage(EventId = 9015, EventName = "advisories.no_source", Level = LogLevel.Warning, Message = "No advisory feed source is configured (advisories.source in vigil.json)")]
    private static partial void LogNoSource(ILogger logger);
}
