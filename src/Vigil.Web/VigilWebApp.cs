using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Ops.Fleet.Console;
using Vigil.Security.Tls;
using Vigil.Web.Auth;
using Vigil.Web.Endpoints;

namespace Vigil.Web;

/// <summary>Builds Vigil's HTTPS application: Kestrel with the instance certificate, deny-by-default
/// authorisation, and the routes of the roles this instance has. Services it needs come from the
/// server's container.</summary>
public static class VigilWebApp
{
    public static WebApplication Build(WebOptions options, IServiceProvider server)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ApplicationName = "Vigil.Web" });
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new WebLoggerFactory(server.GetRequiredService<ILoggerFactory>())));
        var tls = server.GetRequiredService<TlsCertificateProvider>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxConcurrentConnections = 512;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            // The same TLS options as the mail listeners (TlsServerPolicy), asked per handshake so
            // a reloaded certificate serves the next connection; with a client CA configured, a
            // client certificate it signed is required before any HTTP is read.
            k.Listen(options.EndPoint, l => l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(tls.ServerOptions(options.ClientCertificates)),
                HandshakeTimeout = TimeSpan.FromSeconds(10),
            }));
        });

        if (options.FleetConsole)
        {
            builder.Services.AddSingleton(server.GetRequiredService<ConsoleEnrollment>());
            builder.Services.AddSingleton(server.GetRequiredService<ConsoleHeartbeats>());
        }
        // Authentication core only: the full AddAuthentication() also sets up ASP.NET data
        // protection, which would write keys outside the data directory and which Vigil does not use.
        builder.Services.AddSingleton(System.Text.Encodings.Web.UrlEncoder.Default);
        builder.Services.AddAuthenticationCore(a =>
        {
            a.DefaultScheme = AuthSchemes.Deny;
            a.AddScheme<DenyAuthenticationHandler>(AuthSchemes.Deny, null);
            a.AddScheme<EnrollmentTokenAuthenticationHandler>(AuthSchemes.EnrollmentToken, null);
            a.AddScheme<MemberSignatureAuthenticationHandler>(AuthSchemes.MemberSignature, null);
        });
        builder.Services.AddAuthorization(a =>
        {
            // Deny by default: a route that states nothing requires an authenticated caller, and
            // the default scheme authenticates nobody.
            a.FallbackPolicy = new AuthorizationPolicyBuilder(AuthSchemes.Deny).RequireAuthenticatedUser().Build();
            a.AddPolicy(AuthSchemes.FleetEnrolleePolicy, p => p.AddAuthenticationSchemes(AuthSchemes.EnrollmentToken).RequireRole(EnrollmentTokenAuthenticationHandler.Role));
            a.AddPolicy(AuthSchemes.FleetMemberPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.MemberSignature).RequireRole(MemberSignatureAuthenticationHandler.Role));
        });

        var app = builder.Build();
        app.UseLockdown(server);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealth();
        if (options.FleetConsole) app.MapFleetConsole();

        var violations = AnonymousAllowList.Violations(((IEndpointRouteBuilder)app).DataSources);
        if (violations.Count > 0) throw new InvalidOperationException($"routes allow anonymous callers without being on the allow-list: {string.Join(", ", violations)}");
        return app;
    }
}
