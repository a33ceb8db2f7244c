using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>SELECT and EXAMINE (RFC 9051 §6.3.2-3) with CONDSTORE and QRESYNC (RFC 7162 §3.1.8,
/// §3.2.5). A previously selected mailbox is closed first ([CLOSED]); a failed SELECT leaves
/// none selected.</summary>
internal static class SelectCommand
{
    public const string SystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SelectRequest request, CancellationToken ct)
    {
        var w = session.Writer;
        if (session.Selected is not null)
        {
            session.Deselect();
            w.UntaggedStatus("OK", "CLOSED", "Previous mailbox closed");
        }
        if (request.Qresync is not null && !session.QresyncOn) return CommandResult.Bad("Enable QRESYNC first");
        if (request.CondStore) session.Enable(Enabled.CondStore);
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return CommandResult.No("Invalid mailbox name", "CANNOT");
        var store = session.Services.Store;
        var accountId = session.Account!.Id;
        var mailbox = await store.GetMailboxAsync(accountId, name, ct);
        var snapshot = mailbox is null ? null : await store.GetSnapshotAsync(accountId, mailbox.Id, ct);
        if (snapshot is null) return CommandResult.No("Mailbox does not exist", "NONEXISTENT");
        mailbox = snapshot.Mailbox;
        var counts = await store.GetMailboxCountsAsync(accountId, mailbox.Id, ct);
        var selected = new SelectedMailbox(mailbox.Id, mailbox.Name, mailbox.UidValidity, request.ReadOnly, snapshot.Uids.ToList(), mailbox.HighestModSeq);
        if (!session.Rev2)
        {
            if (request.ReadOnly)
            {
                // EXAMINE shows \Recent without taking it: the unclaimed messages are the newest ones.
                foreach (var uid in selected.Uids.TakeLast(counts.Recent)) selected.Recent.Add(uid);
            }
            else if (counts.Recent > 0)
            {
                var first = await store.ClaimRecentAsync(accountId, mailbox.Id, ct);
                foreach (var uid in selected.Uids.Where(u => u >= first)) selected.Recent.Add(uid);
            }
        }

        w.Untagged().Raw("FLAGS ("u8).Ascii(SystemFlags).Close().Crlf();
        w.UntaggedStatus("OK", request.ReadOnly ? "PERMANENTFLAGS ()" : $"PERMANENTFLAGS ({SystemFlags} \\*)", request.ReadOnly ? "Read-only mailbox" : "Flags permitted");
        w.Untagged().Number(selected.Count).Raw(" EXISTS"u8).Crlf();
        if (!session.Rev2)
        {
            w.Untagged().Number(selected.Recent.Count).Raw(" RECENT"u8).Crlf();
            var unseen = counts.FirstUnseen == 0 ? 0 : selected.SequenceOf(counts.FirstUnseen);
            if (unseen > 0) w.UntaggedStatus("OK", $"UNSEEN {unseen}", "First unseen");
        }
        w.UntaggedStatus("OK", $"UIDVALIDITY {mailbox.UidValidity}", "UIDs valid");
        w.UntaggedStatus("OK", $"UIDNEXT {mailbox.UidNext}", "Predicted next UID");
        w.UntaggedStatus("OK", $"HIGHESTMODSEQ {mailbox.HighestModSeq}", "Highest");
        if (session.Rev2)
        {
            w.Untagged().Raw("LIST () \"/\" "u8).Mailbox(mailbox.Name).Crlf();
        }
        session.Select(selected);
        if (request.Qresync is { } q && q.UidValidity == mailbox.UidValidity) await ResyncAsync(session, selected, q, ct);
        return CommandResult.Ok(request.ReadOnly ? "EXAMINE completed" : "SELECT completed", request.ReadOnly ? "READ-ONLY" : "READ-WRITE");
    }

    /// <summary>RFC 7162 §3.2.5.1: what the client missed since its MODSEQ: VANISHED (EARLIER) for
    /// expunged UIDs it may know, then FETCH FLAGS for messages changed since.</summary>
    private static async Task ResyncAsync(ImapSession session, SelectedMailbox selected, QresyncParameters q, CancellationToken ct)
    {
        var delta = await session.Services.Store.GetChangesAsync(session.Account!.Id, selected.Id, (long)q.ModSeq, ct);
        if (delta is null) return;
        var w = session.Writer;
        var vanished = delta.Vanished.Where(u => q.KnownUids is null || q.KnownUids.Contains(u, uint.MaxValue)).ToList();
        if (vanished.Count > 0) w.Untagged().Raw("VANISHED (EARLIER) "u8).Ascii(SequenceSet.Format(vanished)).Crlf();
        foreach (var change in delta.Changed)
        {
            var seq = selected.SequenceOf(change.Uid);
            if (seq == 0) continue;
            w.Untagged().Number(seq).Raw(" FETCH (UID "u8).Number(change.Uid).Raw(" FLAGS "u8)
                .Flags(change.Flags, change.Keywords, selected.Recent.Contains(change.Uid))
                .Raw(" MODSEQ ("u8).Number(change.ModSeq).Raw("))"u8).Crlf();
        }
    }
}
