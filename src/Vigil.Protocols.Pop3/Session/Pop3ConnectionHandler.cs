using Vigil.Net;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>Runs a <see cref="Pop3Session"/> for each accepted connection of one listener.</summary>
public sealed class Pop3ConnectionHandler(Pop3ServerOptions options, Pop3Services services) : IConnectionHandler
{
    public string Protocol => "pop3";

    public Task HandleAsync(Connection connection, CancellationToken ct) => new Pop3Session(connection, options, services).RunAsync(ct);

    public ReadOnlyMemory<byte> RefusalReply(string reason) =>
        Pop3Response.Error(Pop3ResponseCode.SysTemp, $"{options.Hostname} {reason}").ToBytes();
}
