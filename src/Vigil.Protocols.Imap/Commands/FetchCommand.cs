using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>FETCH and UID FETCH (RFC 9051 §6.4.5) with CHANGEDSINCE/VANISHED (RFC 7162) and
/// BINARY (RFC 3516). Messages are loaded in batches with their stored summaries, so ENVELOPE and
/// BODYSTRUCTURE never re-parse a message; BODY[] (without PEEK) sets \Seen first, so the FLAGS
/// in the same response are current.</summary>
internal static class FetchCommand
{
    private const int BatchSize = 500;

    public static async Task<CommandResult> ExecuteAsync(ImapSession session, FetchRequest request, CancellationToken ct)
    {
        var selected = session.Selected!;
        if (request.ChangedSince is not null) session.Enable(Enabled.CondStore);
        var sequences = selected.Resolve(request.Set, request.Uid, session.SavedSearch);
        var plan = new FetchPlan(request, session.CondStoreOn, !selected.ReadOnly);
        if (request.Vanished) await WriteVanishedAsync(session, request, ct);

        var writer = new FetchResponseWriter(session, plan);
        for (var i = 0; i < sequences.Count; i += BatchSize)
        {
            var batch = sequences.Skip(i).Take(BatchSize).ToList();
            var uids = batch.Select(selected.UidAt).ToList();
            var records = (await session.Services.Store.GetMessagesAsync(session.Account!.Id, selected.Id, uids, plan.NeedsSummary, ct)).ToDictionary(r => r.Uid);
            if (plan.NeedsHeaderSize && !plan.NeedsSummary && records.Values.Where(r => r.HeaderSize is null).Select(r => r.Uid).ToList() is { Count: > 0 } older)
            {
                // Stored before the header size was kept: their summaries say where the header ends.
                foreach (var r in await session.Services.Store.GetMessagesAsync(session.Account!.Id, selected.Id, older, withSummary: true, ct)) records[r.Uid] = r;
            }
            var seenNow = plan.SetsSeen ? await MarkSeenAsync(session, records, ct) : [];
            foreach (var seq in batch)
            {
                var uid = selected.UidAt(seq);
                // Expunged by another session but not yet announced: nothing left to show.
                if (!records.TryGetValue(uid, out var record)) continue;
                if (request.ChangedSince is { } since && record.ModSeq <= (long)since) continue;
                var error = await writer.WriteAsync(seq, record, seenNow.Contains(uid), ct);
                if (error is not null) return error.Value;
            }
        }
        return CommandResult.Ok(request.Name + " completed");
    }

    /// <summary>Sets \Seen on the messages a non-PEEK body fetch reads (RFC 9051 §6.4.5).</summary>
    private static async Task<HashSet<uint>> MarkSeenAsync(ImapSession session, Dictionary<uint, MessageRecord> records, CancellationToken ct)
    {
        var unseen = records.Values.Where(r => (r.Flags & MessageFlags.Seen) == 0).Select(r => r.Uid).ToList();
        if (unseen.Count == 0) return [];
        var selected = session.Selected!;
        var result = await session.Services.Messages.UpdateFlagsAsync(session.Account!.Id, selected.Id, unseen, new FlagUpdate(FlagMode.Add, MessageFlags.Seen, []), null, ct, session);
        foreach (var state in result.Changed)
        {
            records[state.Uid] = records[state.Uid] with { Flags = state.Flags, Keywords = state.Keywords, ModSeq = state.ModSeq };
            selected.OwnChanges[state.Uid] = state.ModSeq;
        }
        return result.Changed.Select(s => s.Uid).ToHashSet();
    }

    /// <summary>RFC 7162 §3.2.6: UID FETCH ... (CHANGEDSINCE m VANISHED) first reports the UIDs of
    /// the set expunged since m.</summary>
    private static async Task WriteVanishedAsync(ImapSession session, FetchRequest request, CancellationToken ct)
    {
        var selected = session.Selected!;
        var delta = await session.Services.Store.GetChangesAsync(session.Account!.Id, selected.Id, (long)request.ChangedSince!.Value, ct);
        if (delta is null) return;
        var max = Math.Max(delta.Mailbox.UidNext - 1, 1);
        var vanished = delta.Vanished.Where(u => request.Set.Contains(u, max)).ToList();
        if (vanished.Count > 0) session.Writer.Untagged().Raw("VANISHED (EARLIER) "u8).Ascii(SequenceSet.Format(vanished)).Crlf();
    }
}

/// <summary>What a FETCH needs, worked out once from its items.</summary>
internal sealed class FetchPlan
{
    public FetchPlan(FetchRequest request, bool condStore, bool writable)
    {
        Items = request.Items;
        AddUid = request.Uid && !Items.Any(i => i is AttributeItem { Attribute: FetchAttribute.Uid });
        HasFlags = Items.Any(i => i is AttributeItem { Attribute: FetchAttribute.Flags });
        AddModSeq = (condStore || request.ChangedSince is not null) && !Items.Any(i => i is AttributeItem { Attribute: FetchAttribute.ModSeq });
        NeedsSummary = Items.Any(i => i switch
        {
            AttributeItem a => a.Attribute is FetchAttribute.Envelope or FetchAttribute.Body or FetchAttribute.BodyStructure,
            SectionItem s => s.Section.Part.Count > 0,
            BinarySizeItem b => b.Part.Count > 0,
            _ => false,
        });
        NeedsHeaderSize = Items.Any(i => i switch
        {
            AttributeItem a => a.Attribute is FetchAttribute.Rfc822Header or FetchAttribute.Rfc822Text,
            SectionItem s => s.Section.Part.Count == 0 && s.Section.Text != SectionText.None,
            _ => false,
        });
        SetsSeen = writable && Items.Any(i => i is SectionItem { Peek: false } or AttributeItem { Attribute: FetchAttribute.Rfc822 or FetchAttribute.Rfc822Text });
        ReadsContent = Items.Any(i => i is SectionItem or BinarySizeItem { Part.Count: > 0 }
            or AttributeItem { Attribute: FetchAttribute.Rfc822 or FetchAttribute.Rfc822Header or FetchAttribute.Rfc822Text });
    }

    public IReadOnlyList<FetchItem> Items { get; }
    public bool AddUid { get; }
    public bool HasFlags { get; }
    public bool AddModSeq { get; }
    public bool NeedsSummary { get; }

    /// <summary>Where the top-level header ends: HEADER, HEADER.FIELDS, TEXT of the message itself,
    /// RFC822.HEADER and RFC822.TEXT. Kept with the message, so these need no summary.</summary>
    public bool NeedsHeaderSize { get; }
    public bool SetsSeen { get; }

    /// <summary>True when an item reads the message's bytes (sections, RFC822*, BINARY.SIZE of a part).</summary>
    public bool ReadsContent { get; }
}
