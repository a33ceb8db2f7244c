using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Writing;

namespace Vigil.Protocols.Imap.Session;

/// <summary>Brings the client's view of the selected mailbox up to date (RFC 9051 §5.2, §7.4.1):
/// announces new messages (EXISTS, and RECENT for IMAP4rev1), flag changes made elsewhere (FETCH
/// FLAGS, with MODSEQ under CONDSTORE) and expunges (EXPUNGE, or VANISHED under QRESYNC) — the
/// expunges only when the command in progress allows sequence numbers to shift.</summary>
internal static class MailboxSynchronizer
{
    /// <summary>Returns false when the mailbox no longer exists (the session must end).</summary>
    public static async Task<bool> SyncAsync(ImapSession session, bool allowExpunge, CancellationToken ct)
    {
        var selected = session.Selected!;
        selected.Dirty = false;
        var delta = await session.Services.Store.GetChangesAsync(session.Account!.Id, selected.Id, selected.KnownModSeq, ct);
        if (delta is null) return false;
        var w = session.Writer;
        foreach (var uid in delta.Vanished)
        {
            if (selected.SequenceOf(uid) > 0) selected.PendingExpunges.Add(uid);
        }
        var known = selected.Uids.Count == 0 ? 0 : selected.Uids[^1];
        var added = new List<uint>();
        foreach (var change in delta.Changed)
        {
            if (change.Uid > known)
            {
                added.Add(change.Uid);
                continue;
            }
            var seq = selected.SequenceOf(change.Uid);
            if (seq == 0 || selected.PendingExpunges.Contains(change.Uid)) continue;
            if (selected.OwnChanges.Remove(change.Uid, out var own) && own >= change.ModSeq) continue;
            w.Untagged().Number(seq).Raw(" FETCH ("u8);
            w.Raw("UID "u8).Number(change.Uid).Raw(" FLAGS "u8).Flags(change.Flags, change.Keywords, selected.Recent.Contains(change.Uid));
            if (session.CondStoreOn) w.Raw(" MODSEQ ("u8).Number(change.ModSeq).Close();
            w.Close().Crlf();
        }
        if (allowExpunge) AnnounceExpunges(session);
        if (added.Count > 0)
        {
            selected.Uids.AddRange(added);
            w.Untagged().Number(selected.Count).Raw(" EXISTS"u8).Crlf();
            if (!session.Rev2 && !selected.ReadOnly)
            {
                var first = await session.Services.Store.ClaimRecentAsync(session.Account.Id, selected.Id, ct);
                foreach (var uid in added.Where(u => u >= first)) selected.Recent.Add(uid);
            }
            else if (!session.Rev2)
            {
                // RFC 3501 §2.3.2: a read-only session shows \Recent without taking it, as EXAMINE
                // does; the messages no session has claimed are the newest ones.
                var unclaimed = (await session.Services.Store.GetMailboxCountsAsync(session.Account.Id, selected.Id, ct)).Recent;
                foreach (var uid in selected.Uids.TakeLast(unclaimed).Where(added.Contains)) selected.Recent.Add(uid);
            }
            if (!session.Rev2) w.Untagged().Number(selected.Recent.Count).Raw(" RECENT"u8).Crlf();
        }
        selected.KnownModSeq = Math.Max(selected.KnownModSeq, delta.Mailbox.HighestModSeq);
        return true;
    }

    /// <summary>Sends the held-back expunges: one VANISHED under QRESYNC (RFC 7162 §3.2.10), else an
    /// EXPUNGE per message, highest sequence number first so the numbers stay valid as they go.</summary>
    public static void AnnounceExpunges(ImapSession session)
    {
        var selected = session.Selected!;
        if (selected.PendingExpunges.Count == 0) return;
        var w = session.Writer;
        if (session.QresyncOn)
        {
            w.Untagged().Raw("VANISHED "u8).Ascii(SequenceSet.Format(selected.PendingExpunges)).Crlf();
        }
        foreach (var uid in selected.PendingExpunges.Reverse())
        {
            var seq = selected.SequenceOf(uid);
            if (seq == 0) continue;
            if (!session.QresyncOn) w.Untagged().Number(seq).Raw(" EXPUNGE"u8).Crlf();
            selected.Uids.RemoveAt(seq - 1);
            selected.Recent.Remove(uid);
            selected.OwnChanges.Remove(uid);
        }
        selected.PendingExpunges.Clear();
    }
}
