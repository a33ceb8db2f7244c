using System.Text;
using Vigil.Net;

namespace Vigil.Protocols.Imap.Session;

/// <summary>Runs an <see cref="ImapSession"/> for each accepted connection of one listener.</summary>
public sealed class ImapConnectionHandler(ImapServerOptions options, ImapServices services) : IConnectionHandler
{
    public string Protocol => "imap";

    public Task HandleAsync(Connection connection, CancellationToken ct) => new ImapSession(connection, options, services).RunAsync(ct);

    /// <summary>RFC 9051 §7.1.5: a server refusing a connection greets with BYE.</summary>
    public ReadOnlyMemory<byte> RefusalReply(string reason) =>
        Encoding.ASCII.GetBytes($"* BYE {new string(reason.Where(c => c is >= ' ' and < (char)127).ToArray())}\r\n");
}
