using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>STARTTLS (RFC 9051 §6.2.1). Anything the client pipelined after the command is
/// discarded by the connection (no plaintext injection); the client must ask CAPABILITY again.</summary>
internal static class StartTlsCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SimpleRequest request, CancellationToken ct)
    {
        if (!session.CanStartTls) return CommandResult.Bad(session.Connection.IsTls ? "TLS is already active" : "TLS is not available");
        session.Writer.Tagged(request.Tag, "OK", null, "Begin TLS negotiation now");
        await session.Connection.StartTlsAsync(session.Services.Tls!.ServerOptions(), session.Options.TlsHandshakeTimeout, ct);
        return CommandResult.None;
    }
}
