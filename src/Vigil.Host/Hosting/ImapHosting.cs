using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Mailboxes;
using Vigil.Core.Messages;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Protocols.Imap.Session;
using Vigil.Security.Auth;
using Vigil.Security.Tls;

namespace Vigil.Host.Hosting;

/// <summary>The IMAP listeners: 143 with STARTTLS and 993 with implicit TLS.</summary>
public static class ImapHosting
{
    public static IServiceCollection AddVigilImap(this IServiceCollection services, VigilConfig config)
    {
        services.AddSingleton(sp => new ImapServices(
            sp.GetRequiredService<IMessageStore>(), sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<IDirectoryStore>(),
            sp.GetRequiredService<MailboxService>(), sp.GetRequiredService<MessageService>(), sp.GetRequiredService<MailboxEvents>(),
            sp.GetRequiredService<LoginService>(), sp.GetRequiredService<TlsCertificateProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TextSearch>()));
        var imap = config.Imap;
        var options = new ImapServerOptions
        {
            Hostname = config.Hostname,
            AppendLimit = imap.AppendLimitBytes,
            IdleTimeout = TimeSpan.FromMinutes(Math.Max(30, imap.IdleTimeoutMinutes)),
            PreAuthTimeout = TimeSpan.FromSeconds(Math.Max(5, imap.LoginTimeoutSeconds)),
            MaxLineLength = Math.Max(1024, imap.MaxLineBytes),
            MaxAuthFailures = Math.Max(1, imap.MaxAuthFailures),
            AllowPlaintextAuthOnLoopback = imap.AllowPlaintextAuthOnLoopback,
        };
        ImapConnectionHandler Handler(IServiceProvider sp) => new(options, sp.GetRequiredService<ImapServices>());
        services.AddSingleton(new ListenerDefinition("imap", config.Ports.Imap, ImplicitTls: false, Handler) { MaxConnectionsPerIp = imap.MaxConnectionsPerIp, MaxConnections = imap.MaxConnections });
        services.AddSingleton(new ListenerDefinition("imaps", config.Ports.Imaps, ImplicitTls: true, Handler) { MaxConnectionsPerIp = imap.MaxConnectionsPerIp, MaxConnections = imap.MaxConnections });
        return services;
    }
}
