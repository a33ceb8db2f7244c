using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1). The EXPUNGE (or VANISHED)
/// responses come from the mailbox synchronisation that follows every command.</summary>
internal static class ExpungeCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, UidExpungeRequest? request, CancellationToken ct)
    {
        var selected = session.Selected!;
        if (selected.ReadOnly) return CommandResult.No("Mailbox is read-only", "READ-ONLY");
        IReadOnlyList<uint>? within = request is null ? null : selected.UidsOf(selected.Resolve(request.Set, uid: true, session.SavedSearch));
        var result = await session.Services.Messages.ExpungeDeletedAsync(session.Account!.Id, selected.Id, within, ct);
        selected.Dirty = true;
        var code = session.CondStoreOn && !result.IsEmpty ? $"HIGHESTMODSEQ {result.ModSeq}" : null;
        return CommandResult.Ok((request is null ? "EXPUNGE" : "UID EXPUNGE") + " completed", code);
    }
}
