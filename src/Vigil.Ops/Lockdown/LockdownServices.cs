using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Vigil.Core.Outbound;
using Vigil.Net;
using Vigil.Ops.Reset;

namespace Vigil.Ops.Lockdown;

/// <summary>Registers what only the running server does about lockdowns and forced resets: the
/// monitor that polls <c>lockdown.json</c>, the connection gate, what changes when a lockdown
/// engages, and the watcher that ends sessions on requests left by the CLI. Needs
/// <see cref="IncidentResponseServices.AddVigilIncidentResponse"/> first.</summary>
public static class LockdownServices
{
    public static IServiceCollection AddVigilLockdown(this IServiceCollection services, TimeSpan pollInterval, string sessionEndRequests)
    {
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<OutboundPause>();
        services.AddSingleton(new LockdownOptions(pollInterval));
        services.AddSingleton<ILockdownParticipant>(sp => new EndSessionsOnLockdown(sp.GetRequiredService<SessionDirectory>()));
        services.AddSingleton<ILockdownParticipant, PauseOutboundOnLockdown>();
        services.AddSingleton<LockdownMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LockdownMonitor>());
        services.AddSingleton<IConnectionGate, LockdownGate>();

        services.AddSingleton(sp => new SessionEndRequestWatcher(sessionEndRequests, pollInterval, sp.GetRequiredService<SessionDirectory>(), sp.GetRequiredService<ILogger<SessionEndRequestWatcher>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SessionEndRequestWatcher>());
        // In the server, sessions are ended directly rather than through a request file.
        services.AddSingleton(sp => sp.GetRequiredService<SessionEndRequestWatcher>().Direct);
        return services;
    }
}
