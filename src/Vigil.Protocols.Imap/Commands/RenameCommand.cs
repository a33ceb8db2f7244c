using Vigil.Core.Mailboxes;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>RENAME (RFC 9051 §6.3.6): children move along; renaming INBOX moves its messages to
/// the new name and leaves INBOX empty.</summary>
internal static class RenameCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, RenameRequest request, CancellationToken ct)
    {
        var from = MailboxArgument.Decode(session, request.From);
        var to = MailboxArgument.Decode(session, request.To);
        if (from is null || to is null) return MailboxOutcomes.InvalidName;
        var outcome = await session.Services.Mailboxes.RenameAsync(session.Account!.Id, from, to, ct);
        if (outcome == MailboxOutcome.Ok && session.Selected is { } selected && !MailboxNames.IsInbox(from))
        {
            if (selected.Name == from) selected.Name = to;
            else if (MailboxNames.IsChildOf(selected.Name, from)) selected.Name = to + selected.Name[from.Length..];
        }
        return MailboxOutcomes.ToResult(outcome, "RENAME");
    }
}
