using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>NOOP (RFC 9051 §6.1.2) and CHECK (RFC 3501 §6.4.1): nothing but a poll for mailbox
/// changes, which the session then reports.</summary>
internal static class NoopCommand
{
    public static Task<CommandResult> ExecuteAsync(ImapSession session, SimpleRequest request, CancellationToken ct)
    {
        if (session.Selected is { } selected) selected.Dirty = true;
        return Task.FromResult(CommandResult.Ok(request.Name + " completed"));
    }
}
