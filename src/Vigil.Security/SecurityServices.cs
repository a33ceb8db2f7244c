using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Delivery;
using Vigil.Security.Auth;
using Vigil.Security.Bans;
using Vigil.Security.Limits;
using Vigil.Security.MailAuth;
using Vigil.Security.MailAuth.Dns;

namespace Vigil.Security;

/// <summary>Registers the security layer every protocol shares: auto-ban, account slow-down, the
/// login policy and rate limits. The host supplies an <see cref="Vigil.Core.Storage.IBanStore"/>.</summary>
public static class SecurityServices
{
    public static IServiceCollection AddVigilSecurity(this IServiceCollection services, AutoBanOptions autoBan, LoginOptions login, RateLimitOptions rateLimits)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(autoBan);
        services.AddSingleton(login);
        services.AddSingleton(rateLimits);
        services.AddSingleton<RecipientRateLimiter>();
        services.AddSingleton<BanList>();
        services.AddSingleton<AutoBanner>();
        services.AddSingleton<AccountThrottle>();
        services.AddSingleton<IAuthAttemptObserver>(sp => sp.GetRequiredService<AutoBanner>());
        services.AddSingleton<IAuthAttemptObserver>(sp => sp.GetRequiredService<AccountThrottle>());
        services.AddSingleton<AdminLoginFailureAudit>();
        services.AddSingleton<IAuthAttemptObserver>(sp => sp.GetRequiredService<AdminLoginFailureAudit>());
        services.AddSingleton<ILoginThrottle, BanThrottle>();
        services.AddSingleton<ILoginThrottle>(sp => sp.GetRequiredService<AccountThrottle>());
        services.AddSingleton<BanAdministration>(sp => new BanAdministration(
            sp.GetRequiredService<Vigil.Core.Storage.IBanStore>(), sp.GetRequiredService<Vigil.Core.Audit.IAuditLog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BanList>()));
        services.AddHostedService<BanRefreshService>();
        return services;
    }

    /// <summary>Inbound sender authentication (SPF, DKIM, DMARC, ARC) for the SMTP DATA path.</summary>
    public static IServiceCollection AddVigilMailAuth(this IServiceCollection services, MailAuthOptions options, string hostname)
    {
        services.AddSingleton(options);
        services.AddSingleton<IMailDns, DnsClientMailDns>();
        services.AddSingleton<IInboundMessageCheck>(sp => new InboundAuthenticator(
            sp.GetRequiredService<IMailDns>(), options, hostname, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<InboundAuthenticator>>()));
        return services;
    }
}
