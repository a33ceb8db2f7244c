using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>FETCH arguments: sequence set, items or macro, and the RFC 7162 modifiers
/// CHANGEDSINCE and VANISHED.</summary>
internal static class FetchParser
{
    private static readonly AttributeItem Flags = new(FetchAttribute.Flags);
    private static readonly AttributeItem InternalDate = new(FetchAttribute.InternalDate);
    private static readonly AttributeItem Size = new(FetchAttribute.Rfc822Size);
    private static readonly AttributeItem Envelope = new(FetchAttribute.Envelope);

    public static FetchRequest Parse(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        var set = r.ReadSequenceSet();
        r.ExpectSp();
        List<FetchItem> items;
        if (r.PeekIs('('))
        {
            items = r.ReadList(Item, allowEmpty: false, max: 100);
        }
        else
        {
            items = r.ReadName(IsNameChar) switch
            {
                "ALL" => [Flags, InternalDate, Size, Envelope],
                "FAST" => [Flags, InternalDate, Size],
                "FULL" => [Flags, InternalDate, Size, Envelope, new AttributeItem(FetchAttribute.Body)],
                var name => [ItemNamed(r, name)],
            };
        }
        ulong? changedSince = null;
        var vanished = false;
        if (r.TryConsume(' '))
        {
            r.ReadList(x =>
            {
                var name = x.ReadAtomUpper();
                switch (name)
                {
                    case "CHANGEDSINCE":
                        x.ExpectSp();
                        changedSince = x.ReadNumber64();
                        break;
                    case "VANISHED":
                        vanished = true;
                        break;
                    default:
                        throw new ImapParseException("Unknown FETCH modifier " + name);
                }
                return name;
            }, allowEmpty: false, max: 4);
        }
        // RFC 7162 §3.2.6: VANISHED only in UID FETCH and only together with CHANGEDSINCE.
        if (vanished && (!uid || changedSince is null)) throw new ImapParseException("VANISHED requires UID FETCH with CHANGEDSINCE");
        return new FetchRequest(uid, set, items, changedSince, vanished);
    }

    private static bool IsNameChar(byte b) => ImapChars.IsAtomChar(b) && b is not ((byte)'[' or (byte)'<');

    private static FetchItem Item(ImapTokenReader r) => ItemNamed(r, r.ReadName(IsNameChar));

    private static FetchItem ItemNamed(ImapTokenReader r, string name) => name switch
    {
        "ENVELOPE" => Envelope,
        "FLAGS" => Flags,
        "INTERNALDATE" => InternalDate,
        "RFC822" => new AttributeItem(FetchAttribute.Rfc822),
        "RFC822.HEADER" => new AttributeItem(FetchAttribute.Rfc822Header),
        "RFC822.SIZE" => Size,
        "RFC822.TEXT" => new AttributeItem(FetchAttribute.Rfc822Text),
        "BODYSTRUCTURE" => new AttributeItem(FetchAttribute.BodyStructure),
        "UID" => new AttributeItem(FetchAttribute.Uid),
        "MODSEQ" => new AttributeItem(FetchAttribute.ModSeq),
        "BODY" when !r.PeekIs('[') => new AttributeItem(FetchAttribute.Body),
        "BODY" or "BODY.PEEK" => Section(r, peek: name == "BODY.PEEK", binary: false),
        "BINARY" or "BINARY.PEEK" => Section(r, peek: name == "BINARY.PEEK", binary: true),
        "BINARY.SIZE" => new BinarySizeItem(BinaryPart(r)),
        _ => throw new ImapParseException("Unknown FETCH item " + name),
    };

    private static SectionItem Section(ImapTokenReader r, bool peek, bool binary)
    {
        var section = binary ? new SectionSpec(BinaryPart(r), SectionText.None, []) : SectionSpecifier(r);
        uint? offset = null, length = null;
        if (r.TryConsume('<'))
        {
            offset = r.ReadNumber();
            // RFC 9051 §6.4.5 allows the partial form only as <origin.length> in requests.
            r.Expect('.');
            length = r.ReadNzNumber();
            r.Expect('>');
        }
        return new SectionItem(section, peek, binary, offset, length);
    }

    private static List<int> BinaryPart(ImapTokenReader r)
    {
        r.Expect('[');
        var part = new List<int>();
        while (!r.TryConsume(']'))
        {
            if (part.Count > 0) r.Expect('.');
            part.Add((int)Math.Min(r.ReadNzNumber(), int.MaxValue));
            if (part.Count > 64) throw new ImapParseException("Section too deep");
        }
        return part;
    }

    /// <summary>section-spec (RFC 9051 §9): part numbers, then HEADER, HEADER.FIELDS[.NOT] (list),
    /// TEXT or MIME (MIME only after a part number).</summary>
    private static SectionSpec SectionSpecifier(ImapTokenReader r)
    {
        r.Expect('[');
        var part = new List<int>();
        var text = SectionText.None;
        var fields = new List<string>();
        while (!r.PeekIs(']'))
        {
            if (part.Count > 0 || text != SectionText.None) r.Expect('.');
            if (text != SectionText.None) throw new ImapParseException("Invalid section");
            if (r.Peek() is >= (byte)'0' and <= (byte)'9')
            {
                part.Add((int)Math.Min(r.ReadNzNumber(), int.MaxValue));
                if (part.Count > 64) throw new ImapParseException("Section too deep");
                continue;
            }
            var word = r.ReadName(b => ImapChars.IsAtomChar(b) && b is not ((byte)'[' or (byte)'<' or (byte)'.'));
            if (word == "HEADER" && r.TryConsume('.'))
            {
                word = "HEADER." + r.ReadName(b => ImapChars.IsAtomChar(b) && b is not ((byte)'[' or (byte)'<' or (byte)'.'));
                if (r.TryConsume('.')) word += "." + r.ReadName(b => ImapChars.IsAtomChar(b) && b is not ((byte)'[' or (byte)'<' or (byte)'.'));
            }
            text = word switch
            {
                "HEADER" => SectionText.Header,
                "HEADER.FIELDS" => SectionText.HeaderFields,
                "HEADER.FIELDS.NOT" => SectionText.HeaderFieldsNot,
                "TEXT" => SectionText.Text,
                "MIME" when part.Count > 0 => SectionText.Mime,
                _ => throw new ImapParseException("Invalid section " + word),
            };
            if (text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
            {
                r.ExpectSp();
                fields = r.ReadList(x => x.ReadAString(), allowEmpty: false, max: 200);
            }
        }
        r.Expect(']');
        return new SectionSpec(part, text, fields);
    }
}
