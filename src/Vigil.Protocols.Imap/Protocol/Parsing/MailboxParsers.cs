using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>Arguments of SELECT/EXAMINE, CREATE, LIST, LSUB and STATUS.</summary>
internal static class MailboxParsers
{
    /// <summary>select-params (RFC 4466 §2.1) with CONDSTORE and QRESYNC (RFC 7162 §3.1.8, §3.2.5).</summary>
    public static SelectRequest Select(ImapTokenReader r, bool readOnly)
    {
        var mailbox = CommandParser.MailboxArgument(r);
        var condStore = false;
        QresyncParameters? qresync = null;
        if (r.TryConsume(' '))
        {
            r.ReadList(x =>
            {
                var name = x.ReadAtomUpper();
                switch (name)
                {
                    case "CONDSTORE":
                        condStore = true;
                        break;
                    case "QRESYNC":
                        x.ExpectSp();
                        qresync = Qresync(x);
                        break;
                    default:
                        throw new ImapParseException("Unknown SELECT parameter " + name);
                }
                return name;
            }, allowEmpty: false, max: 4);
        }
        return new SelectRequest(mailbox, readOnly, condStore, qresync);
    }

    private static QresyncParameters Qresync(ImapTokenReader r)
    {
        r.Expect('(');
        var uidValidity = r.ReadNzNumber();
        r.ExpectSp();
        var modSeq = r.ReadNumber64();
        SequenceSet? known = null, seqs = null, uids = null;
        if (r.TryConsume(' '))
        {
            if (!r.PeekIs('(')) known = r.ReadSequenceSet();
            if (known is null || r.TryConsume(' '))
            {
                r.Expect('(');
                seqs = r.ReadSequenceSet();
                r.ExpectSp();
                uids = r.ReadSequenceSet();
                r.Expect(')');
            }
        }
        r.Expect(')');
        return new QresyncParameters(uidValidity, modSeq, known, seqs, uids);
    }

    /// <summary>CREATE with the RFC 6154 §3 "USE" parameter.</summary>
    public static CreateRequest Create(ImapTokenReader r)
    {
        var mailbox = CommandParser.MailboxArgument(r);
        var uses = new List<string>();
        if (r.TryConsume(' '))
        {
            r.ReadList(x =>
            {
                if (!x.TryWord("USE")) throw new ImapParseException("Unknown CREATE parameter");
                x.ExpectSp();
                uses.AddRange(x.ReadList(y => y.ReadFlag()));
                return "USE";
            }, allowEmpty: false, max: 4);
        }
        return new CreateRequest(mailbox, uses);
    }

    /// <summary>LIST [select-opts] reference patterns [RETURN (opts)] (RFC 5258 §6, RFC 5819, RFC 6154).</summary>
    public static ListRequest List(ImapTokenReader r)
    {
        r.ExpectSp();
        var select = ListSelect.None;
        var extended = false;
        if (r.PeekIs('('))
        {
            extended = true;
            foreach (var opt in r.ReadList(x => x.ReadAtomUpper()))
            {
                select |= opt switch
                {
                    "SUBSCRIBED" => ListSelect.Subscribed,
                    "REMOTE" => ListSelect.Remote,
                    "RECURSIVEMATCH" => ListSelect.RecursiveMatch,
                    "SPECIAL-USE" => ListSelect.SpecialUse,
                    _ => throw new ImapParseException("Unknown LIST selection option " + opt),
                };
            }
            // RFC 5258 §3.1: RECURSIVEMATCH alone is meaningless.
            if (select == ListSelect.RecursiveMatch || select == (ListSelect.RecursiveMatch | ListSelect.Remote)) throw new ImapParseException("RECURSIVEMATCH needs another selection option");
            r.ExpectSp();
        }
        var reference = r.ReadAString();
        r.ExpectSp();
        List<string> patterns;
        if (r.PeekIs('('))
        {
            extended = true;
            patterns = r.ReadList(x => x.ReadListMailbox(), allowEmpty: false, max: 100);
        }
        else
        {
            patterns = [r.ReadListMailbox()];
        }
        var ret = ListReturn.None;
        var status = StatusItems.None;
        if (r.TryConsume(' '))
        {
            if (!r.TryWord("RETURN")) throw new ImapParseException("Expected RETURN");
            extended = true;
            r.ExpectSp();
            r.ReadList(x =>
            {
                var opt = x.ReadAtomUpper();
                switch (opt)
                {
                    case "SUBSCRIBED": ret |= ListReturn.Subscribed; break;
                    case "CHILDREN": ret |= ListReturn.Children; break;
                    case "SPECIAL-USE": ret |= ListReturn.SpecialUse; break;
                    case "STATUS":
                        x.ExpectSp();
                        ret |= ListReturn.Status;
                        status = StatusAttributes(x);
                        break;
                    default: throw new ImapParseException("Unknown LIST return option " + opt);
                }
                return opt;
            });
        }
        return new ListRequest(reference, patterns, select, ret, status, extended);
    }

    public static LsubRequest Lsub(ImapTokenReader r)
    {
        r.ExpectSp();
        var reference = r.ReadAString();
        r.ExpectSp();
        return new LsubRequest(reference, r.ReadListMailbox());
    }

    public static StatusRequest Status(ImapTokenReader r)
    {
        var mailbox = CommandParser.MailboxArgument(r);
        r.ExpectSp();
        return new StatusRequest(mailbox, StatusAttributes(r));
    }

    private static StatusItems StatusAttributes(ImapTokenReader r)
    {
        var items = StatusItems.None;
        foreach (var name in r.ReadList(x => x.ReadAtomUpper(), allowEmpty: false, max: 16))
        {
            items |= name switch
            {
                "MESSAGES" => StatusItems.Messages,
                "RECENT" => StatusItems.Recent,
                "UIDNEXT" => StatusItems.UidNext,
                "UIDVALIDITY" => StatusItems.UidValidity,
                "UNSEEN" => StatusItems.Unseen,
                "DELETED" => StatusItems.Deleted,
                "SIZE" => StatusItems.Size,
                "HIGHESTMODSEQ" => StatusItems.HighestModSeq,
                "APPENDLIMIT" => StatusItems.AppendLimit,
                _ => throw new ImapParseException("Unknown STATUS item " + name),
            };
        }
        return items;
    }
}
