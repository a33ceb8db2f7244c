using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7-8). A name that does not exist may be
/// subscribed to; it is listed as \NonExistent.</summary>
internal static class SubscribeCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SubscribeRequest request, CancellationToken ct)
    {
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null || name.Length == 0) return MailboxOutcomes.InvalidName;
        await session.Services.Mailboxes.SetSubscribedAsync(session.Account!.Id, name, request.Subscribe, ct);
        return CommandResult.Ok(request.Name + " completed");
    }
}
