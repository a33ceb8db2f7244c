using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3).</summary>
internal static class CreateCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, CreateRequest request, CancellationToken ct)
    {
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return MailboxOutcomes.InvalidName;
        if (request.SpecialUse.Count > 1) return CommandResult.No("One special use per mailbox", "USEATTR");
        var outcome = await session.Services.Mailboxes.CreateAsync(session.Account!.Id, name, request.SpecialUse.FirstOrDefault(), ct);
        return MailboxOutcomes.ToResult(outcome, "CREATE");
    }
}
