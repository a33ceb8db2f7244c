using Vigil.Core.Mailboxes;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>DELETE (RFC 9051 §6.3.5). Deleting the mailbox this session has selected closes it.</summary>
internal static class DeleteCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, DeleteRequest request, CancellationToken ct)
    {
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return MailboxOutcomes.InvalidName;
        var outcome = await session.Services.Mailboxes.DeleteAsync(session.Account!.Id, name, ct);
        if (outcome == MailboxOutcome.Ok && session.Selected?.Name == name) session.Deselect();
        return MailboxOutcomes.ToResult(outcome, "DELETE");
    }
}
