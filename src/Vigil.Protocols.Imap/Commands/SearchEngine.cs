using System.Text;
using MimeKit.Utils;
using Vigil.Core.Indexing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>A message that matched, with its sequence number in the session's view.</summary>
internal sealed record SearchHit(int Sequence, MessageRecord Record);

/// <summary>Evaluates SEARCH criteria (RFC 9051 §6.4.4) over the selected mailbox: flags, dates,
/// sizes, sets and MODSEQ from the message rows; header keys from the stored summaries (or the
/// header block for arbitrary fields); BODY and TEXT through the full-text index (which first takes
/// in whatever of the mailbox is still queued for it, <see cref="TextSearch"/>). Strings match
/// as case-insensitive substrings.</summary>
internal sealed class SearchEngine(ImapSession session)
{
    private const int BatchSize = 1000;
    private readonly Dictionary<(bool, string), IReadOnlySet<uint>?> _text = [];

    public async Task<List<SearchHit>> RunAsync(SearchKey key, bool withSummary, CancellationToken ct)
    {
        // RFC 9051 §6.4.4 and App. E: IMAP4rev2 has no RECENT, NEW or OLD search keys; a session
        // that enabled it gets BAD, as for any unknown key (IMAP4rev1 sessions keep them).
        if (session.Rev2 && key.Any(k => k is RecentKey)) throw new ImapParseException("Unknown search key (RECENT, NEW and OLD are not in IMAP4rev2)");
        var selected = session.Selected!;
        withSummary |= NeedsSummary(key);
        await LookUpTextAsync(key, ct);
        var hits = new List<SearchHit>();
        var max = selected.Uids.Count == 0 ? 0 : selected.Uids[^1];
        for (var i = 0; i < selected.Uids.Count; i += BatchSize)
        {
            var uids = selected.Uids.Skip(i).Take(BatchSize).ToList();
            var records = await session.Services.Store.GetMessagesAsync(session.Account!.Id, selected.Id, uids, withSummary, ct);
            foreach (var record in records)
            {
                var seq = selected.SequenceOf(record.Uid);
                var summary = record.Summary;
                if (withSummary && summary is null) summary = BlobIndexer.Summarize(session.Services.Blobs, record.BlobId);
                var r = summary == record.Summary ? record : record with { Summary = summary };
                if (Matches(key, seq, r, max)) hits.Add(new SearchHit(seq, r));
            }
        }
        return hits;
    }

    private static bool NeedsSummary(SearchKey key) => key.Any(k => k is HeaderKey or DateKey { Field: DateField.Sent });

    /// <summary>Runs every BODY/TEXT key once against the full-text index. Strings of fewer than
    /// three characters cannot use the trigram index; those are matched by reading the message.</summary>
    private async Task LookUpTextAsync(SearchKey key, CancellationToken ct)
    {
        switch (key)
        {
            case TextKey t when !_text.ContainsKey((t.BodyOnly, t.Value)):
                _text[(t.BodyOnly, t.Value)] = t.Value.Length >= 3
                    ? await session.Services.TextSearch.SearchAsync(session.Account!.Id, session.Selected!.Id, t.Value, t.BodyOnly, ct)
                    : null;
                break;
            case AndKey a:
                foreach (var k in a.Keys) await LookUpTextAsync(k, ct);
                break;
            case OrKey o:
                await LookUpTextAsync(o.Left, ct);
                await LookUpTextAsync(o.Right, ct);
                break;
            case NotKey n:
                await LookUpTextAsync(n.Key, ct);
                break;
        }
    }

    private bool Matches(SearchKey key, int seq, MessageRecord m, uint maxUid) => key switch
    {
        AllKey => true,
        AndKey a => a.Keys.All(k => Matches(k, seq, m, maxUid)),
        OrKey o => Matches(o.Left, seq, m, maxUid) || Matches(o.Right, seq, m, maxUid),
        NotKey n => !Matches(n.Key, seq, m, maxUid),
        FlagKey f => ((m.Flags & f.Flag) != 0) == f.Set,
        KeywordKey k => m.Keywords.Contains(k.Keyword, StringComparer.OrdinalIgnoreCase) == k.Set,
        RecentKey r => session.Selected!.Recent.Contains(m.Uid) == r.Set,
        DateKey d => CompareDate(d, d.Field == DateField.Internal ? m.InternalDate : m.Summary?.SentDate),
        SizeKey s => s.Larger ? m.Size > s.Size : m.Size < s.Size,
        HeaderKey h => MatchesHeader(h, m),
        TextKey t => _text[(t.BodyOnly, t.Value)] is { } found ? found.Contains(m.Uid) : ScanText(t, m),
        SetKey { Set.IsSavedResult: true } => session.SavedSearch?.Contains(m.Uid) == true,
        SetKey { Uid: true } s => s.Set.Contains(m.Uid, maxUid),
        SetKey s => s.Set.Contains((uint)seq, (uint)session.Selected!.Count),
        ModSeqKey k => m.ModSeq >= (long)k.ModSeq,
        AgeKey a => a.Older ? (DateTimeOffset.UtcNow - m.InternalDate).TotalSeconds >= a.Seconds : (DateTimeOffset.UtcNow - m.InternalDate).TotalSeconds <= a.Seconds,
        _ => false,
    };

    /// <summary>RFC 9051 §6.4.4: dates compare without time and timezone, in the date's own zone.</summary>
    private static bool CompareDate(DateKey key, DateTimeOffset? value)
    {
        if (value is null) return false;
        var date = DateOnly.FromDateTime(value.Value.DateTime);
        return key.Comparison switch
        {
            DateComparison.Before => date < key.Date,
            DateComparison.On => date == key.Date,
            _ => date >= key.Date,
        };
    }

    private bool MatchesHeader(HeaderKey key, MessageRecord m)
    {
        var envelope = m.Summary!.Envelope;
        IReadOnlyList<EnvelopeAddress>? addresses = key.Field.ToUpperInvariant() switch
        {
            "FROM" => envelope.From,
            "TO" => envelope.To,
            "CC" => envelope.Cc,
            "BCC" => envelope.Bcc,
            _ => null,
        };
        if (addresses is not null || key.Field.ToUpperInvariant() is "FROM" or "TO" or "CC" or "BCC")
        {
            if (addresses is null) return false;
            return addresses.Any(a => Contains($"{a.Name} <{a.Mailbox}@{a.Host}>", key.Value));
        }
        if (key.Field.Equals("SUBJECT", StringComparison.OrdinalIgnoreCase)) return envelope.SubjectText is { } s && Contains(s, key.Value);
        var values = HeaderValues(m, key.Field);
        return values.Count > 0 && (key.Value.Length == 0 || values.Any(v => Contains(v, key.Value)));
    }

    /// <summary>Decoded values of an arbitrary header field, read from the stored header block.</summary>
    private List<string> HeaderValues(MessageRecord m, string field)
    {
        using var stream = session.Services.Blobs.OpenRead(m.BlobId, m.Size);
        if (stream is null) return [];
        var header = new byte[Math.Min(m.Summary!.Body.BodyOffset, 1024 * 1024)];
        stream.ReadExactly(header);
        var values = new List<string>();
        foreach (var (name, raw) in HeaderFields(Encoding.UTF8.GetString(header)))
        {
            if (name.Equals(field, StringComparison.OrdinalIgnoreCase)) values.Add(Rfc2047.DecodeText(Encoding.UTF8.GetBytes(raw)));
        }
        return values;
    }

    private static IEnumerable<(string Name, string Value)> HeaderFields(string header)
    {
        string? name = null;
        var value = new StringBuilder();
        foreach (var line in header.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.Length > 0 && l[0] is ' ' or '\t' && name is not null)
            {
                value.Append(l);
                continue;
            }
            if (name is not null) yield return (name, value.ToString().Trim());
            name = null;
            var colon = l.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            name = l[..colon].Trim();
            value.Clear().Append(l[(colon + 1)..]);
        }
        if (name is not null) yield return (name, value.ToString().Trim());
    }

    /// <summary>Short strings: read the message and look in its decoded text.</summary>
    private bool ScanText(TextKey key, MessageRecord m)
    {
        using var stream = session.Services.Blobs.OpenRead(m.BlobId, m.Size);
        if (stream is null) return false;
        var index = MessageIndexer.Index(stream);
        return Contains(index.BodyText, key.Value) || (!key.BodyOnly && Contains(index.HeaderText, key.Value));
    }

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
