using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Ops.Alerts;

namespace Vigil.Ops.Principals;

/// <summary>Compares the privileged principals (admins, app passwords on admins, routes, trusted
/// advisory keys, scheduled jobs) with the last known set every few seconds and raises an alert for
/// each new one — however it was created: through Vigil (also audited) or behind its back (a row
/// written straight into the database, a line added to the config).</summary>
public sealed partial class PrincipalWatchService(
    IEnumerable<IPrivilegedPrincipalSource> sources,
    PrincipalBaseline baseline,
    AlertDispatcher alerts,
    PrincipalWatchOptions options,
    TimeProvider time,
    ILogger<PrincipalWatchService> logger) : BackgroundService
{
    public const string Source = "principal-watch";
    private readonly IPrivilegedPrincipalSource[] _sources = sources.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(logger, ex); // a locked database or a broken config must not stop the watch
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One comparison; returns the principals that were new.</summary>
    public async Task<IReadOnlyList<PrivilegedPrincipal>> CheckAsync(CancellationToken ct)
    {
        var current = new List<PrivilegedPrincipal>();
        foreach (var source in _sources) current.AddRange(await source.ListAsync(ct));
        var known = baseline.Load();
        var fresh = current.Where(p => !known.Contains(p.Id)).DistinctBy(p => p.Id).ToList();
        var ids = current.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        if (fresh.Count > 0 || !ids.SetEquals(known)) baseline.Save(ids);
        foreach (var p in fresh)
        {
            var detail = p.Detail.Length > 0 ? p.Detail : $"a new {Describe(p.Kind)} appeared";
            await alerts.RaiseAsync(new Alert(KindOf(p.Kind), p.Name, detail, Source, time.GetUtcNow()), ct);
        }
        return fresh;
    }

    public static string KindOf(string principalKind) => principalKind switch
    {
        PrivilegedPrincipal.Admin => AlertKinds.NewAdmin,
        PrivilegedPrincipal.AdminAppPassword => AlertKinds.NewAppPassword,
        PrivilegedPrincipal.Route => AlertKinds.NewRoute,
        PrivilegedPrincipal.TrustedKey => AlertKinds.NewTrustedKey,
        PrivilegedPrincipal.ScheduledJob => AlertKinds.NewScheduledJob,
        _ => "principal." + principalKind + "_added",
    };

    private static string Describe(string kind) => kind switch
    {
        PrivilegedPrincipal.Admin => "administrator",
        PrivilegedPrincipal.AdminAppPassword => "app password on an administrator",
        PrivilegedPrincipal.Route => "route or relay host",
        PrivilegedPrincipal.TrustedKey => "trusted advisory key",
        PrivilegedPrincipal.ScheduledJob => "scheduled job",
        _ => kind,
    };

    [LoggerMessage(EventId = 10501, EventName = "principals.check_failed", Level = LogLevel.Error, Message = "Privileged-principal check failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception ex);
}

/// <summary>How often privileged principals are compared with the last known set.</summary>
public sealed record PrincipalWatchOptions(TimeSpan Interval);
