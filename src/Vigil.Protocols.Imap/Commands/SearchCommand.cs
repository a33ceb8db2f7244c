using System.Text;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH results (RFC 4731, always in
/// IMAP4rev2), SEARCHRES (RFC 5182 "SAVE" and "$") and the MODSEQ of CONDSTORE (RFC 7162 §3.1.5).</summary>
internal static class SearchCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SearchRequest request, CancellationToken ct)
    {
        if (SearchCharsetRule.Check(session, request.Charset) is { } bad) return bad;
        var save = request.Return is { } ret && (ret & SearchReturn.Save) != 0;
        List<SearchHit> hits;
        try
        {
            hits = await new SearchEngine(session).RunAsync(request.Key, withSummary: false, ct);
        }
        catch
        {
            // RFC 5182 §2.1: a failed SEARCH ... SAVE leaves an empty saved result.
            if (save) session.SavedSearch = [];
            throw;
        }
        var usesModSeq = UsesModSeq(request.Key);
        if (usesModSeq) session.Enable(Enabled.CondStore);
        var numbers = hits.Select(h => request.Uid ? h.Record.Uid : (uint)h.Sequence).ToList();
        var highest = hits.Count > 0 && usesModSeq ? hits.Max(h => h.Record.ModSeq) : (long?)null;
        var w = session.Writer;
        if (request.Return is null && !session.Rev2)
        {
            w.Untagged().Raw("SEARCH"u8);
            foreach (var n in numbers) w.Sp().Number(n);
            if (highest is { } m) w.Raw(" (MODSEQ "u8).Number(m).Close();
            w.Crlf();
            return CommandResult.Ok(request.Name + " completed");
        }
        var options = request.Return ?? SearchReturn.All;
        if (save)
        {
            // RFC 5182 §2.4: with only MIN and/or MAX, just those are saved.
            var saved = (options & (SearchReturn.All | SearchReturn.Count)) == 0 && (options & (SearchReturn.Min | SearchReturn.Max)) != 0
                ? hits.Where((_, i) => ((options & SearchReturn.Min) != 0 && i == 0) || ((options & SearchReturn.Max) != 0 && i == hits.Count - 1))
                : hits;
            session.SavedSearch = saved.Select(h => h.Record.Uid).ToList();
            if (options == SearchReturn.Save) return CommandResult.Ok(request.Name + " completed");
        }
        WriteEsearch(session, request.Tag, request.Uid, options, numbers, highest);
        return CommandResult.Ok(request.Name + " completed");
    }

    /// <summary>"* ESEARCH (TAG "a") [UID] MIN n MAX n COUNT n ALL set [MODSEQ n]" (RFC 4731 §3.1).</summary>
    public static void WriteEsearch(ImapSession session, string tag, bool uid, SearchReturn options, List<uint> numbers, long? highest)
    {
        var w = session.Writer;
        w.Untagged().Raw("ESEARCH (TAG "u8).String(tag).Close();
        if (uid) w.Raw(" UID"u8);
        if (numbers.Count > 0)
        {
            if ((options & SearchReturn.Min) != 0) w.Raw(" MIN "u8).Number(numbers.Min());
            if ((options & SearchReturn.Max) != 0) w.Raw(" MAX "u8).Number(numbers.Max());
        }
        if ((options & SearchReturn.Count) != 0) w.Raw(" COUNT "u8).Number(numbers.Count);
        if ((options & SearchReturn.All) != 0 && numbers.Count > 0) w.Raw(" ALL "u8).Ascii(SequenceSet.Format(numbers.Order()));
        if (highest is { } m) w.Raw(" MODSEQ "u8).Number(m);
        w.Crlf();
    }

    public static bool UsesModSeq(SearchKey key) => key.Any(k => k is ModSeqKey);
}
