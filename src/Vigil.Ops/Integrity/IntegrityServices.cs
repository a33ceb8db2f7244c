using Microsoft.Extensions.DependencyInjection;
using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Principals;

namespace Vigil.Ops.Integrity;

/// <summary>Registers the integrity watch and the privileged-principal watch for the running server.</summary>
public static class IntegrityServices
{
    /// <param name="configPrincipals">Principals defined only in the config (scheduled jobs, routes).</param>
    public static IServiceCollection AddVigilIntegrityWatch(this IServiceCollection services, IntegrityOptions integrity, PrincipalWatchOptions principals, IReadOnlyList<PrivilegedPrincipal> configPrincipals)
    {
        services.AddSingleton(integrity);
        services.AddSingleton<IntegrityScanner>();
        services.AddSingleton<IntegrityWatchService>();
        services.AddHostedService(sp => sp.GetRequiredService<IntegrityWatchService>());
        services.AddSingleton<IIntegrityFacts>(sp => sp.GetRequiredService<IntegrityWatchService>());

        services.AddSingleton(principals);
        services.AddSingleton(new PrincipalBaseline(Path.Combine(integrity.DataDirectory, "audit", PrincipalBaseline.FileName)));
        services.AddSingleton<IPrivilegedPrincipalSource, AdminAccountsSource>();
        services.AddSingleton<IPrivilegedPrincipalSource, AdminAppPasswordsSource>();
        services.AddSingleton<IPrivilegedPrincipalSource, TrustedAdvisoryKeysSource>();
        services.AddSingleton<IPrivilegedPrincipalSource>(sp => new RoutesSource(sp.GetService<Core.Outbound.Routing.IRouteStore>()));
        services.AddSingleton<IPrivilegedPrincipalSource>(new StaticPrincipalsSource(configPrincipals));
        services.AddSingleton<PrincipalWatchService>();
        services.AddHostedService(sp => sp.GetRequiredService<PrincipalWatchService>());
        return services;
    }
}
