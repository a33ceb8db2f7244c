using Vigil.Net;

namespace Vigil.Host.Hosting;

/// <summary>A listener the host should open: its config name, port, TLS mode and the protocol
/// handler that serves it. Each protocol adds its own definitions (see <see cref="VigilServices"/>).
/// Connection limits default to the SMTP ones unless the protocol sets its own.</summary>
public sealed record ListenerDefinition(string Name, int? Port, bool ImplicitTls, Func<IServiceProvider, IConnectionHandler> Handler)
{
    public int? MaxConnectionsPerIp { get; init; }
    public int? MaxConnections { get; init; }
}
