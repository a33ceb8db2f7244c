using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>CLOSE (RFC 9051 §6.4.1: silently expunges \Deleted messages of a read-write mailbox)
/// and UNSELECT (RFC 3691: leaves them).</summary>
internal static class CloseCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SimpleRequest request, CancellationToken ct)
    {
        var selected = session.Selected!;
        session.Deselect();
        if (request.Command == SimpleCommand.Close && !selected.ReadOnly)
        {
            await session.Services.Messages.ExpungeDeletedAsync(session.Account!.Id, selected.Id, null, ct);
        }
        return CommandResult.Ok(request.Name + " completed");
    }
}
