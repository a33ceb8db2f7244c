using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Ops.Advisories;
using Vigil.Ops.Build;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Member;
using Vigil.Security.Keys;

namespace Vigil.Ops;

/// <summary>What the host tells Ops about the instance.</summary>
public sealed record OpsSettings(
    string DataDirectory,
    string AdvisoriesDirectory,
    string FleetDirectory,
    string InstanceKeyFile,
    string InstanceId,
    string Hostname,
    BuildIdentity Build,
    AdvisoryOptions Advisories,
    FleetOptions Fleet);

public static class OpsServiceCollectionExtensions
{
    /// <summary>Advisories and fleet state, used by the CLI and by the server alike.</summary>
    public static IServiceCollection AddVigilOps(this IServiceCollection services, OpsSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings.Build);
        services.AddSingleton(settings.Advisories);
        services.AddSingleton(settings.Fleet);

        services.AddSingleton(new AdvisoryPaths(settings.AdvisoriesDirectory));
        services.AddSingleton<AdvisoryStore>();
        services.AddSingleton<TrustedKeyStore>();
        services.AddSingleton(_ => new FeedFetcher(new HttpClient(new SocketsHttpHandler { MaxAutomaticRedirections = 3 }) { Timeout = Timeout.InfiniteTimeSpan }, settings.DataDirectory));
        services.AddSingleton<AdvisoryService>();
        services.AddSingleton<AdvisoryMetrics>();

        services.AddSingleton(new FleetPaths(settings.FleetDirectory));
        services.AddSingleton(sp => new FleetIdentity(sp.GetService<InstanceKey>() ?? InstanceKey.Load(settings.InstanceKeyFile), settings.InstanceId, settings.Hostname,
            sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddSingleton<MemberRegistry>();
        services.AddSingleton<EnrollmentTokens>();
        services.AddSingleton<ActionOutbox>();
        services.AddSingleton<FleetView>();
        services.AddSingleton<MembershipStore>();
        services.AddSingleton<LastReportStore>();
        services.AddSingleton<MemberEnrollment>();
        services.AddSingleton<SeenActions>();
        services.AddSingleton<ActionResults>();
        services.AddSingleton<ActionReceiver>();
        // Heartbeats report the audit log when one is registered first (the server and the CLI have one).
        if (services.Any(d => d.ServiceType == typeof(Core.Audit.IAuditCheckpointSource))) services.AddSingleton<AuditReporter>();
        services.AddSingleton<HeartbeatFactory>();
        services.AddFleetActionHandler<CheckNowHandler>();
        return services;
    }

    /// <summary>The server's part: the console's request handlers (they need the TLS certificate
    /// it serves) and the background loops (advisory schedule, heartbeats).</summary>
    public static IServiceCollection AddVigilOpsServer(this IServiceCollection services, Func<IServiceProvider, string> tlsCertificateSha256)
    {
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ConsoleEnrollment>(sp, (Func<string>)(() => tlsCertificateSha256(sp))));
        services.AddSingleton<ConsoleHeartbeats>();
        // Heartbeats report lockdown when the lockdown feature is part of this server.
        if (services.Any(d => d.ServiceType == typeof(Lockdown.LockdownStore))) services.AddSingleton<Fleet.Facts.ILockdownFacts, Fleet.Facts.LockdownStoreFacts>();
        services.AddHostedService<AdvisoryWatchService>();
        services.AddHostedService<HeartbeatSender>();
        return services;
    }

    /// <summary>Registers the handler of one enumerated fleet action (lockdown and force-reset are
    /// registered by the lockdown feature).</summary>
    public static IServiceCollection AddFleetActionHandler<T>(this IServiceCollection services) where T : class, IFleetActionHandler
    {
        services.AddSingleton<IFleetActionHandler, T>();
        return services;
    }
}
