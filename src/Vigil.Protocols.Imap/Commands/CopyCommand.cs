using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>COPY, MOVE (RFC 6851) and their UID forms, answering with COPYUID (RFC 4315 §3).
/// MOVE reports the moved messages as expunged before its tagged OK (RFC 6851 §3.3).</summary>
internal static class CopyCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, CopyRequest request, CancellationToken ct)
    {
        var selected = session.Selected!;
        if (request.Move && selected.ReadOnly) return CommandResult.No("Mailbox is read-only", "READ-ONLY");
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return MailboxOutcomes.InvalidName;
        var target = await session.Services.Store.GetMailboxAsync(session.Account!.Id, name, ct);
        if (target is null) return CommandResult.No("Target mailbox does not exist", "TRYCREATE");
        var uids = selected.UidsOf(selected.Resolve(request.Set, request.Uid, session.SavedSearch));
        if (uids.Count == 0) return CommandResult.Ok(request.Name + " completed");
        CopyResult result;
        try
        {
            result = await session.Services.Messages.CopyAsync(session.Account.Id, selected.Id, uids, target.Id, request.Move, ct);
        }
        catch (QuotaExceededException)
        {
            return CommandResult.No("Quota exceeded", "OVERQUOTA");
        }
        if (result.Uids.Count == 0) return CommandResult.Ok(request.Name + " completed");
        var code = $"COPYUID {result.TargetUidValidity} {SequenceSet.Format(result.Uids.Select(u => u.Source))} {SequenceSet.Format(result.Uids.Select(u => u.Target))}";
        if (!request.Move) return CommandResult.Ok(request.Name + " completed", code);
        session.Writer.UntaggedStatus("OK", code, "Moved");
        selected.Dirty = true;
        return CommandResult.Ok(request.Name + " completed");
    }
}
