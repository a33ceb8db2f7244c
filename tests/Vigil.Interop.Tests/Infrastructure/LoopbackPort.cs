using System.Net;
using System.Net.Sockets;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A loopback port that was free a moment ago, for peers that must be told their port
/// before they start (Postfix, an HTTP listener).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
