using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>STORE and UID STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3): one new
/// MODSEQ for the changed messages; untagged FETCH FLAGS unless .SILENT, and with CONDSTORE on,
/// FETCH with MODSEQ for every changed message even when silent; refused ones are named in MODIFIED.</summary>
internal static class StoreCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, StoreRequest request, CancellationToken ct)
    {
        var selected = session.Selected!;
        if (selected.ReadOnly) return CommandResult.No("Mailbox is read-only", "READ-ONLY");
        if (!FlagArguments.TrySplit(request.Flags, out var flags, out var keywords)) return CommandResult.Bad("Invalid system flag");
        if (request.UnchangedSince is not null) session.Enable(Enabled.CondStore);
        var sequences = selected.Resolve(request.Set, request.Uid, session.SavedSearch);
        var uids = selected.UidsOf(sequences).Where(u => !selected.PendingExpunges.Contains(u)).ToList();
        if (uids.Count == 0) return CommandResult.Ok(request.Name + " completed");
        var mode = request.Mode switch { StoreMode.Add => FlagMode.Add, StoreMode.Remove => FlagMode.Remove, _ => FlagMode.Replace };
        var result = await session.Services.Messages.UpdateFlagsAsync(session.Account!.Id, selected.Id, uids,
            new FlagUpdate(mode, flags, keywords), (long?)request.UnchangedSince, ct, session);

        var w = session.Writer;
        var report = result.Changed.Concat(request.Silent ? [] : result.Unchanged).OrderBy(s => s.Uid);
        foreach (var state in report)
        {
            var changed = state.ModSeq == result.ModSeq && result.Changed.Count > 0;
            if (changed) selected.OwnChanges[state.Uid] = state.ModSeq;
            if (request.Silent && !(changed && session.CondStoreOn)) continue;
            var seq = selected.SequenceOf(state.Uid);
            w.Untagged().Number(seq).Raw(" FETCH ("u8);
            if (request.Uid) w.Raw("UID "u8).Number(state.Uid).Sp();
            if (!request.Silent) w.Raw("FLAGS "u8).Flags(state.Flags, state.Keywords, selected.Recent.Contains(state.Uid));
            if (session.CondStoreOn)
            {
                if (!request.Silent) w.Sp();
                w.Raw("MODSEQ ("u8).Number(state.ModSeq).Close();
            }
            w.Close().Crlf();
        }
        if (result.Modified.Count > 0)
        {
            var failed = request.Uid ? result.Modified : result.Modified.Select(u => (uint)selected.SequenceOf(u));
            return CommandResult.Ok("Conditional STORE failed for some messages", "MODIFIED " + SequenceSet.Format(failed.Order()));
        }
        return CommandResult.Ok(request.Name + " completed");
    }
}
