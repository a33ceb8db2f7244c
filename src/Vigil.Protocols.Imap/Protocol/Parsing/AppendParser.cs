using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>APPEND mailbox followed by one or more messages (RFC 3502 MULTIAPPEND), each
/// [flag-list] [date-time] then a literal, a literal8 (RFC 3516), "UTF8 (literal8)" (RFC 6855)
/// or "CATENATE (parts)" (RFC 4469).</summary>
internal static class AppendParser
{
    public const int MaxMessages = 1000;

    public static AppendRequest Parse(ImapTokenReader r)
    {
        var mailbox = CommandParser.MailboxArgument(r);
        var messages = new List<AppendMessage>();
        while (r.TryConsume(' '))
        {
            messages.Add(Message(r));
            if (messages.Count > MaxMessages) throw new ImapParseException("Too many messages in one APPEND");
        }
        if (messages.Count == 0) throw new ImapParseException("APPEND needs a message");
        return new AppendRequest(mailbox, messages);
    }

    private static AppendMessage Message(ImapTokenReader r)
    {
        List<string> flags = [];
        DateTimeOffset? date = null;
        if (r.PeekIs('('))
        {
            flags = r.ReadFlagList();
            if (flags.Contains("\\*")) throw new ImapParseException("\\* is not a flag");
            r.ExpectSp();
        }
        if (r.PeekIs('"'))
        {
            var text = r.ReadString();
            if (!ImapDateTime.TryParseDateTime(text, out var d)) throw new ImapParseException("Invalid date-time");
            date = d;
            r.ExpectSp();
        }
        if (r.TryWord("CATENATE"))
        {
            r.ExpectSp();
            return new AppendMessage(flags, date, null, r.ReadList(CatenatePart, allowEmpty: false, max: 100));
        }
        if (r.TryWord("UTF8")) return new AppendMessage(flags, date, Utf8Literal(r), null, Utf8: true);
        if (!r.PeekIs('{') && !r.PeekIs('~')) throw new ImapParseException("Message literal expected");
        return new AppendMessage(flags, date, r.ReadLiteral(), null);
    }

    private static CatenatePart CatenatePart(ImapTokenReader r)
    {
        if (r.TryWord("URL"))
        {
            r.ExpectSp();
            return new CatenatePart(r.ReadAString(), null);
        }
        if (r.TryWord("TEXT"))
        {
            r.ExpectSp();
            return new CatenatePart(null, r.ReadLiteral());
        }
        if (r.TryWord("UTF8")) return new CatenatePart(null, Utf8Literal(r), Utf8: true);
        throw new ImapParseException("CATENATE parts are URL, TEXT or UTF8");
    }

    /// <summary>RFC 6855 §4: utf8-literal = "UTF8" SP "(" literal8 ")", also a cat-part. Whether the
    /// session may use it (after ENABLE UTF8=ACCEPT) is the command's decision.</summary>
    private static LiteralData Utf8Literal(ImapTokenReader r)
    {
        r.ExpectSp();
        r.Expect('(');
        var data = r.ReadLiteral();
        if (!data.Binary) throw new ImapParseException("UTF8 takes a literal8 (~{n})");
        r.Expect(')');
        return data;
    }
}
