using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Protocols.Pop3.Session;
using Vigil.Security.Auth;
using Vigil.Security.Tls;

namespace Vigil.Host.Hosting;

/// <summary>The POP3 listeners: 110 with STLS and 995 with implicit TLS, sharing one maildrop
/// lock table so a login on one port sees a session on the other.</summary>
public static class Pop3Hosting
{
    public static IServiceCollection AddVigilPop3(this IServiceCollection services, VigilConfig config)
    {
        services.AddSingleton<MaildropLocks>();
        services.AddSingleton(sp => new MessageSizes(sp.GetRequiredService<IBlobStore>()));
        services.AddSingleton(sp => new Pop3Services(
            sp.GetRequiredService<LoginService>(), sp.GetRequiredService<IMessageStore>(), sp.GetRequiredService<IBlobStore>(),
            sp.GetRequiredService<MailboxEvents>(), sp.GetRequiredService<MaildropLocks>(), sp.GetRequiredService<MessageSizes>(),
            sp.GetRequiredService<TlsCertificateProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        var options = new Pop3ServerOptions
        {
            Hostname = config.Hostname,
            CommandTimeout = TimeSpan.FromSeconds(Math.Max(600, config.Pop3.CommandTimeoutSeconds)),
            AllowPlaintextLoginFromLoopback = config.Pop3.AllowPlaintextLoginFromLoopback,
        };
        Pop3ConnectionHandler Handler(IServiceProvider sp) => new(options, sp.GetRequiredService<Pop3Services>());
        services.AddSingleton(new ListenerDefinition("pop3", config.Ports.Pop3, ImplicitTls: false, Handler));
        services.AddSingleton(new ListenerDefinition("pop3s", config.Ports.Pop3s, ImplicitTls: true, Handler));
        return services;
    }
}
