using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Ops.Alerts;
using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Lockdown;
using Vigil.Ops.Reset;

namespace Vigil.Ops;

/// <summary>What the CLI and the server share for incident response: alerts and their sinks, the
/// lockdown switch, the forced reset. Outside the server, sessions are ended by leaving a request
/// for it (<see cref="RequestFileSessionEnder"/>); the server replaces that with a direct call
/// (<see cref="LockdownServices.AddVigilLockdown"/>).</summary>
public static class IncidentResponseServices
{
    public static IServiceCollection AddVigilIncidentResponse(this IServiceCollection services, AlertOptions alerts, string lockdownFile, string sessionEndRequests,
        string? recentAlertsFile = null)
    {
        services.AddSingleton(alerts);
        services.AddSingleton<IAlertSink, AuditAlertSink>();
        services.AddSingleton<IAlertSink, LogAlertSink>();
        services.AddSingleton<IAlertSink, MetricAlertSink>();
        services.AddSingleton<IAlertSink>(_ => new WebhookAlertSink(alerts, WebhookAlertSink.CreateClient()));
        services.AddSingleton<IAlertSink, MailAlertSink>();
        services.AddSingleton<IAlertSink, AutoLockdownResponse>();
        services.AddSingleton(new RecentAlerts(recentAlertsFile));
        services.AddSingleton<IAlertSink>(sp => sp.GetRequiredService<RecentAlerts>());
        services.AddSingleton<AlertDispatcher>();

        services.AddSingleton(new LockdownStore(lockdownFile));
        services.AddSingleton(sp => new LockdownService(sp.GetRequiredService<LockdownStore>(), sp.GetRequiredService<Core.Audit.IAuditLog>(), sp.GetService<LockdownMonitor>()));

        services.AddSingleton<ISessionEnder>(_ => new RequestFileSessionEnder(sessionEndRequests));
        services.AddSingleton<ForcedResetService>();

        // What the fleet console sees and may ask for.
        services.AddSingleton<ILockdownFacts, LockdownFactsSource>();
        services.AddFleetActionHandler<FleetLockdownHandler>();
        services.AddFleetActionHandler<FleetForceResetHandler>();
        return services;
    }
}
