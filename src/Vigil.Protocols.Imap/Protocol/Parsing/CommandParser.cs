using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>Parses one complete command (tag, name, arguments; RFC 9051 §9 "command"). Pure.</summary>
public static class CommandParser
{
    private delegate ImapRequest Parser(ImapTokenReader r, bool uid);

    private static readonly Dictionary<string, Parser> Commands = new(StringComparer.Ordinal)
    {
        ["CAPABILITY"] = Simple(SimpleCommand.Capability),
        ["NOOP"] = Simple(SimpleCommand.Noop),
        ["LOGOUT"] = Simple(SimpleCommand.Logout),
        ["STARTTLS"] = Simple(SimpleCommand.StartTls),
        ["CHECK"] = Simple(SimpleCommand.Check),
        ["CLOSE"] = Simple(SimpleCommand.Close),
        ["UNSELECT"] = Simple(SimpleCommand.Unselect),
        ["IDLE"] = Simple(SimpleCommand.Idle),
        ["NAMESPACE"] = Simple(SimpleCommand.Namespace),
        ["LOGIN"] = (r, _) => { r.ExpectSp(); var u = r.ReadAString(); r.ExpectSp(); var p = r.ReadAString(); return new LoginRequest(u, p); },
        ["AUTHENTICATE"] = ParseAuthenticate,
        ["ENABLE"] = ParseEnable,
        ["ID"] = ParseId,
        ["COMPRESS"] = (r, _) => { r.ExpectSp(); return new CompressRequest(r.ReadAtomUpper()); },
        ["SELECT"] = (r, _) => MailboxParsers.Select(r, readOnly: false),
        ["EXAMINE"] = (r, _) => MailboxParsers.Select(r, readOnly: true),
        ["CREATE"] = (r, _) => MailboxParsers.Create(r),
        ["DELETE"] = (r, _) => new DeleteRequest(MailboxArgument(r)),
        ["RENAME"] = (r, _) => { var from = MailboxArgument(r); return new RenameRequest(from, MailboxArgument(r)); },
        ["SUBSCRIBE"] = (r, _) => new SubscribeRequest(MailboxArgument(r), true),
        ["UNSUBSCRIBE"] = (r, _) => new SubscribeRequest(MailboxArgument(r), false),
        ["LIST"] = (r, _) => MailboxParsers.List(r),
        ["LSUB"] = (r, _) => MailboxParsers.Lsub(r),
        ["STATUS"] = (r, _) => MailboxParsers.Status(r),
        ["GETQUOTA"] = (r, _) => { r.ExpectSp(); return new GetQuotaRequest(r.ReadAString()); },
        ["GETQUOTAROOT"] = (r, _) => new GetQuotaRootRequest(MailboxArgument(r)),
        ["SETQUOTA"] = ParseSetQuota,
        ["APPEND"] = (r, _) => AppendParser.Parse(r),
        ["EXPUNGE"] = ParseExpunge,
        ["FETCH"] = (r, uid) => FetchParser.Parse(r, uid),
        ["STORE"] = (r, uid) => StoreParser.Parse(r, uid),
        ["COPY"] = (r, uid) => ParseCopy(r, uid, move: false),
        ["MOVE"] = (r, uid) => ParseCopy(r, uid, move: true),
        ["SEARCH"] = (r, uid) => SearchParser.ParseSearch(r, uid),
        ["SORT"] = (r, uid) => SearchParser.ParseSort(r, uid),
        ["THREAD"] = (r, uid) => SearchParser.ParseThread(r, uid),
    };

    /// <summary>Commands that have a UID form (RFC 9051 §6.4.9, RFC 4315, RFC 6851, RFC 5256).</summary>
    private static readonly HashSet<string> UidCommands = ["FETCH", "STORE", "COPY", "MOVE", "SEARCH", "EXPUNGE", "SORT", "THREAD"];

    public static ParseResult Parse(RawCommand raw)
    {
        var r = new ImapTokenReader(raw);
        string tag;
        try
        {
            tag = r.ReadTag();
            r.ExpectSp();
        }
        catch (ImapParseException)
        {
            return new ParseResult(null, null, "Invalid tag");
        }
        try
        {
            var name = r.ReadAtomUpper();
            var uid = false;
            if (name == "UID")
            {
                r.ExpectSp();
                name = r.ReadAtomUpper();
                if (!UidCommands.Contains(name)) return new ParseResult(tag, null, "Unknown UID command");
                uid = true;
            }
            if (!Commands.TryGetValue(name, out var parser)) return new ParseResult(tag, null, "Unknown command");
            var request = parser(r, uid);
            r.ExpectEnd();
            return new ParseResult(tag, request with { Tag = tag, Name = uid ? "UID " + name : name }, null);
        }
        catch (ImapParseException ex)
        {
            return new ParseResult(tag, null, ex.Message, ex.Code, ex.No);
        }
    }

    /// <summary>The tag and upper-cased command name, read without parsing the arguments (the
    /// session needs them before the literals of a command have arrived).</summary>
    public static (string Tag, string Name)? PeekCommand(ReadOnlySpan<byte> firstLine)
    {
        var r = new ImapTokenReader(new RawCommand(firstLine.ToArray()));
        try
        {
            var tag = r.ReadTag();
            r.ExpectSp();
            var name = r.ReadAtomUpper();
            if (name == "UID" && r.TryConsume(' ')) name = "UID " + r.ReadAtomUpper();
            return (tag, name);
        }
        catch (ImapParseException)
        {
            return null;
        }
    }

    internal static string MailboxArgument(ImapTokenReader r)
    {
        r.ExpectSp();
        return r.ReadAString();
    }

    private static Parser Simple(SimpleCommand command) => (_, _) => new SimpleRequest(command);

    private static ImapRequest ParseAuthenticate(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        var mechanism = r.ReadAtomUpper();
        string? initial = null;
        if (r.TryConsume(' ')) initial = r.TryConsume('=') ? "" : r.ReadAtom();
        return new AuthenticateRequest(mechanism, initial);
    }

    private static ImapRequest ParseEnable(ImapTokenReader r, bool uid)
    {
        var caps = new List<string>();
        while (r.TryConsume(' '))
        {
            caps.Add(r.ReadAtomUpper());
            if (caps.Count > 32) throw new ImapParseException("Too many capabilities");
        }
        if (caps.Count == 0) throw new ImapParseException("ENABLE needs at least one capability");
        return new EnableRequest(caps);
    }

    private static ImapRequest ParseId(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        if (r.TryWord("NIL")) return new IdRequest(null);
        var items = r.ReadList(x => x.ReadNString(), max: 60);
        if (items.Count % 2 != 0 || items.Where((_, i) => i % 2 == 0).Any(k => k is null)) throw new ImapParseException("ID takes field/value pairs");
        var pairs = new List<KeyValuePair<string, string?>>();
        for (var i = 0; i < items.Count; i += 2) pairs.Add(new(items[i]!, items[i + 1]));
        return new IdRequest(pairs);
    }

    private static ImapRequest ParseSetQuota(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        var root = r.ReadAString();
        r.ExpectSp();
        r.ReadList(x => { var name = x.ReadAtom(); x.ExpectSp(); x.ReadNumber64(); return name; });
        return new SetQuotaRequest(root);
    }

    private static ImapRequest ParseExpunge(ImapTokenReader r, bool uid)
    {
        if (!uid) return new SimpleRequest(SimpleCommand.Expunge);
        r.ExpectSp();
        return new UidExpungeRequest(r.ReadSequenceSet());
    }

    private static ImapRequest ParseCopy(ImapTokenReader r, bool uid, bool move)
    {
        r.ExpectSp();
        var set = r.ReadSequenceSet();
        return new CopyRequest(uid, set, MailboxArgument(r), move);
    }
}
