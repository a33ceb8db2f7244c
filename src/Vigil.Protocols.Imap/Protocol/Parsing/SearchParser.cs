using Vigil.Core.Model;
using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>SEARCH (RFC 9051 §6.4.4, ESEARCH RFC 4731, SEARCHRES RFC 5182), SORT and THREAD
/// (RFC 5256) arguments.</summary>
internal static class SearchParser
{
    /// <summary>Nesting bound for parentheses, NOT and OR, so a hostile command cannot exhaust the stack.</summary>
    public const int MaxDepth = 64;

    public const string SupportedCharsets = "(UTF-8 US-ASCII)";

    public static SearchRequest ParseSearch(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        SearchReturn? ret = null;
        if (r.TryWord("RETURN"))
        {
            r.ExpectSp();
            var options = SearchReturn.None;
            foreach (var opt in r.ReadList(x => x.ReadAtomUpper(), max: 8))
            {
                options |= opt switch
                {
                    "MIN" => SearchReturn.Min,
                    "MAX" => SearchReturn.Max,
                    "ALL" => SearchReturn.All,
                    "COUNT" => SearchReturn.Count,
                    "SAVE" => SearchReturn.Save,
                    _ => throw new ImapParseException("Unknown RETURN option " + opt),
                };
            }
            // RFC 4731 §3.1: "RETURN ()" means ALL.
            ret = options == SearchReturn.None ? SearchReturn.All : options;
            r.ExpectSp();
        }
        string? charset = null;
        if (r.TryWord("CHARSET"))
        {
            r.ExpectSp();
            charset = Charset(r.ReadAString());
            r.ExpectSp();
        }
        return new SearchRequest(uid, ret, charset, Keys(r));
    }

    public static SortRequest ParseSort(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        var reverse = false;
        var criteria = r.ReadList(x =>
        {
            var word = x.ReadAtomUpper();
            if (word == "REVERSE")
            {
                if (reverse) throw new ImapParseException("REVERSE twice");
                reverse = true;
                return null;
            }
            var key = word switch
            {
                "ARRIVAL" => SortKey.Arrival,
                "CC" => SortKey.Cc,
                "DATE" => SortKey.Date,
                "FROM" => SortKey.From,
                "SIZE" => SortKey.Size,
                "SUBJECT" => SortKey.Subject,
                "TO" => SortKey.To,
                "DISPLAYFROM" => SortKey.DisplayFrom,
                "DISPLAYTO" => SortKey.DisplayTo,
                _ => throw new ImapParseException("Unknown sort criterion " + word),
            };
            var c = new SortCriterion(key, reverse);
            reverse = false;
            return c;
        }, allowEmpty: false, max: 20).OfType<SortCriterion>().ToList();
        if (reverse || criteria.Count == 0) throw new ImapParseException("REVERSE must precede a sort key");
        r.ExpectSp();
        var charset = Charset(r.ReadAString());
        r.ExpectSp();
        return new SortRequest(uid, criteria, charset, Keys(r));
    }

    public static ThreadRequest ParseThread(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        var algorithm = r.ReadAtomUpper() switch
        {
            "REFERENCES" => ThreadAlgorithm.References,
            "ORDEREDSUBJECT" => ThreadAlgorithm.OrderedSubject,
            var a => throw new ImapParseException("Unknown THREAD algorithm " + a),
        };
        r.ExpectSp();
        var charset = Charset(r.ReadAString());
        r.ExpectSp();
        return new ThreadRequest(uid, algorithm, charset, Keys(r));
    }

    private static string Charset(string name)
    {
        var upper = name.ToUpperInvariant();
        if (upper is "UTF-8" or "US-ASCII" or "UTF8") return upper;
        throw new ImapParseException("Unsupported charset", "BADCHARSET " + SupportedCharsets, no: true);
    }

    /// <summary>One or more keys separated by spaces, which all must match.</summary>
    private static SearchKey Keys(ImapTokenReader r)
    {
        var keys = new List<SearchKey> { Key(r, 0) };
        while (r.TryConsume(' ')) keys.Add(Key(r, 0));
        return keys.Count == 1 ? keys[0] : new AndKey(keys);
    }

    private static SearchKey Key(ImapTokenReader r, int depth)
    {
        if (depth > MaxDepth) throw new ImapParseException("Search criteria nested too deeply");
        if (r.TryConsume('('))
        {
            var keys = new List<SearchKey> { Key(r, depth + 1) };
            while (r.TryConsume(' ')) keys.Add(Key(r, depth + 1));
            r.Expect(')');
            return keys.Count == 1 ? keys[0] : new AndKey(keys);
        }
        var b = r.Peek();
        if (b is (>= (byte)'0' and <= (byte)'9') or (byte)'*' or (byte)'$') return new SetKey(r.ReadSequenceSet(), Uid: false);
        var word = r.ReadAtomUpper();
        switch (word)
        {
            case "ALL": return AllKey.Instance;
            case "ANSWERED": return new FlagKey(MessageFlags.Answered, true);
            case "DELETED": return new FlagKey(MessageFlags.Deleted, true);
            case "DRAFT": return new FlagKey(MessageFlags.Draft, true);
            case "FLAGGED": return new FlagKey(MessageFlags.Flagged, true);
            case "SEEN": return new FlagKey(MessageFlags.Seen, true);
            case "UNANSWERED": return new FlagKey(MessageFlags.Answered, false);
            case "UNDELETED": return new FlagKey(MessageFlags.Deleted, false);
            case "UNDRAFT": return new FlagKey(MessageFlags.Draft, false);
            case "UNFLAGGED": return new FlagKey(MessageFlags.Flagged, false);
            case "UNSEEN": return new FlagKey(MessageFlags.Seen, false);
            case "RECENT": return new RecentKey(true);
            case "OLD": return new RecentKey(false);
            case "NEW": return new AndKey([new RecentKey(true), new FlagKey(MessageFlags.Seen, false)]);
            case "KEYWORD": return new KeywordKey(Arg(r, x => x.ReadAtom()), true);
            case "UNKEYWORD": return new KeywordKey(Arg(r, x => x.ReadAtom()), false);
            case "BEFORE": return new DateKey(DateField.Internal, DateComparison.Before, Date(r));
            case "ON": return new DateKey(DateField.Internal, DateComparison.On, Date(r));
            case "SINCE": return new DateKey(DateField.Internal, DateComparison.Since, Date(r));
            case "SENTBEFORE": return new DateKey(DateField.Sent, DateComparison.Before, Date(r));
            case "SENTON": return new DateKey(DateField.Sent, DateComparison.On, Date(r));
            case "SENTSINCE": return new DateKey(DateField.Sent, DateComparison.Since, Date(r));
            case "LARGER": return new SizeKey(true, (long)Arg(r, x => x.ReadNumber64()));
            case "SMALLER": return new SizeKey(false, (long)Arg(r, x => x.ReadNumber64()));
            case "FROM" or "TO" or "CC" or "BCC" or "SUBJECT": return new HeaderKey(word, Arg(r, x => x.ReadAString()));
            case "HEADER":
                var field = Arg(r, x => x.ReadAString());
                return new HeaderKey(field, Arg(r, x => x.ReadAString()));
            case "BODY": return new TextKey(true, Arg(r, x => x.ReadAString()));
            case "TEXT": return new TextKey(false, Arg(r, x => x.ReadAString()));
            case "UID": return new SetKey(Arg(r, x => x.ReadSequenceSet()), Uid: true);
            case "NOT": r.ExpectSp(); return new NotKey(Key(r, depth + 1));
            case "OR":
                r.ExpectSp();
                var left = Key(r, depth + 1);
                r.ExpectSp();
                return new OrKey(left, Key(r, depth + 1));
            case "MODSEQ": return ModSeq(r);
            case "OLDER": return new AgeKey(true, Arg(r, x => x.ReadNzNumber()));
            case "YOUNGER": return new AgeKey(false, Arg(r, x => x.ReadNzNumber()));
            default: throw new ImapParseException("Unknown search key " + word);
        }
    }

    /// <summary>MODSEQ [entry-name entry-type-req] mod-sequence-valzer (RFC 7162 §3.1.5); the
    /// per-flag entry is accepted and, as every flag shares the message MODSEQ, ignored.</summary>
    private static ModSeqKey ModSeq(ImapTokenReader r)
    {
        r.ExpectSp();
        if (r.PeekIs('"'))
        {
            r.ReadString();
            r.ExpectSp();
            var type = r.ReadAtomUpper();
            if (type is not ("PRIV" or "SHARED" or "ALL")) throw new ImapParseException("Invalid MODSEQ entry type");
            r.ExpectSp();
        }
        return new ModSeqKey(r.ReadNumber64());
    }

    private static T Arg<T>(ImapTokenReader r, Func<ImapTokenReader, T> read)
    {
        r.ExpectSp();
        return read(r);
    }

    private static DateOnly Date(ImapTokenReader r)
    {
        r.ExpectSp();
        var text = r.PeekIs('"') ? r.ReadString() : r.ReadAtom();
        if (!ImapDateTime.TryParseDate(text, out var d)) throw new ImapParseException("Invalid date " + text);
        return d;
    }
}
