using Vigil.Core.Indexing;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Threading;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>SORT and UID SORT (RFC 5256 §3) with DISPLAYFROM/DISPLAYTO (RFC 5957); ties are
/// broken by sequence number.</summary>
internal static class SortCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SortRequest request, CancellationToken ct)
    {
        var hits = await new SearchEngine(session).RunAsync(request.Key, withSummary: true, ct);
        IOrderedEnumerable<SearchHit>? ordered = null;
        foreach (var criterion in request.Criteria)
        {
            var key = KeyOf(criterion.Key);
            var comparer = Comparer<IComparable>.Create((a, b) => a.CompareTo(b));
            ordered = ordered is null
                ? (criterion.Reverse ? hits.OrderByDescending(key, comparer) : hits.OrderBy(key, comparer))
                : (criterion.Reverse ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer));
        }
        var sorted = ordered!.ThenBy(h => h.Sequence).ToList();
        var w = session.Writer;
        w.Untagged().Raw("SORT"u8);
        foreach (var h in sorted) w.Sp().Number(request.Uid ? h.Record.Uid : (uint)h.Sequence);
        w.Crlf();
        return CommandResult.Ok(request.Name + " completed");
    }

    private static Func<SearchHit, IComparable> KeyOf(SortKey key) => key switch
    {
        SortKey.Arrival => h => h.Record.InternalDate.UtcDateTime,
        SortKey.Date => h => (h.Record.Summary!.SentDate ?? h.Record.InternalDate).UtcDateTime,
        SortKey.Size => h => h.Record.Size,
        SortKey.Subject => h => BaseSubject.Extract(h.Record.Summary!.Envelope.SubjectText),
        SortKey.From => h => Mailbox(h.Record.Summary!.Envelope.From),
        SortKey.To => h => Mailbox(h.Record.Summary!.Envelope.To),
        SortKey.Cc => h => Mailbox(h.Record.Summary!.Envelope.Cc),
        SortKey.DisplayFrom => h => Display(h.Record.Summary!.Envelope.From),
        _ => h => Display(h.Record.Summary!.Envelope.To),
    };

    /// <summary>RFC 5256 §3: the addr-mailbox of the first address, compared case-insensitively.</summary>
    private static string Mailbox(IReadOnlyList<EnvelopeAddress>? list) =>
        (list?.FirstOrDefault(a => !a.IsGroupStart && !a.IsGroupEnd)?.Mailbox ?? "").ToUpperInvariant();

    /// <summary>RFC 5957: the display name, or the address when there is none.</summary>
    private static string Display(IReadOnlyList<EnvelopeAddress>? list)
    {
        var a = list?.FirstOrDefault(x => !x.IsGroupStart && !x.IsGroupEnd);
        if (a is null) return "";
        return (string.IsNullOrEmpty(a.Name) ? $"{a.Mailbox}@{a.Host}" : a.Name).ToUpperInvariant();
    }
}
