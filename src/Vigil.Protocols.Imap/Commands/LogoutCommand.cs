using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>LOGOUT (RFC 9051 §6.1.3): BYE, then the tagged OK, then the connection closes.</summary>
internal static class LogoutCommand
{
    public static Task<CommandResult> ExecuteAsync(ImapSession session, SimpleRequest request, CancellationToken ct)
    {
        session.Writer.UntaggedStatus("BYE", null, "Logging out");
        session.Logout();
        return Task.FromResult(CommandResult.Ok("LOGOUT completed") with { Close = true });
    }
}
