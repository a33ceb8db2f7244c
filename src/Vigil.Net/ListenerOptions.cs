using System.Net;

namespace Vigil.Net;

/// <summary>Where a listener binds and how it treats new connections.</summary>
public sealed record ListenerOptions(
    string Name,
    IPEndPoint EndPoint,
    bool ImplicitTls,
    int MaxConnectionsPerIp,
    int MaxConnections,
    TimeSpan TlsHandshakeTimeout);
