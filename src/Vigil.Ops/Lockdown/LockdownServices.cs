using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Outbound;
using Vigil.Net;

namespace Vigil.Ops.Lockdown;

/// <summary>Registers the lockdown for the running server: the monitor (a hosted service that
/// polls <c>lockdown.json</c>), the connection gate, and what changes when it engages.</summary>
public static class LockdownServices
{
    public static IServiceCollection AddVigilLockdown(this IServiceCollection services, string lockdownFile, TimeSpan pollInterval)
    {
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<OutboundPause>();
        services.AddSingleton(new LockdownStore(lockdownFile));
        services.AddSingleton(new LockdownOptions(pollInterval));
        services.AddSingleton<ILockdownParticipant>(sp => new EndSessionsOnLockdown(sp.GetRequiredService<SessionDirectory>()));
        services.AddSingleton<ILockdownParticipant, PauseOutboundOnLockdown>();
        services.AddSingleton<LockdownMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LockdownMonitor>());
        services.AddSingleton<IConnectionGate, LockdownGate>();
        services.AddSingleton<LockdownService>();
        return services;
    }
}
