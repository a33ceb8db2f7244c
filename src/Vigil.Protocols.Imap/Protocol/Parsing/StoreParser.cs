using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] (flags) (RFC 9051 §6.4.6, RFC 7162 §3.1.3).</summary>
internal static class StoreParser
{
    public static StoreRequest Parse(ImapTokenReader r, bool uid)
    {
        r.ExpectSp();
        var set = r.ReadSequenceSet();
        r.ExpectSp();
        ulong? unchangedSince = null;
        if (r.PeekIs('('))
        {
            r.ReadList(x =>
            {
                if (!x.TryWord("UNCHANGEDSINCE")) throw new ImapParseException("Unknown STORE modifier");
                x.ExpectSp();
                unchangedSince = x.ReadNumber64();
                return 0;
            }, allowEmpty: false, max: 1);
            r.ExpectSp();
        }
        var mode = r.TryConsume('+') ? StoreMode.Add : r.TryConsume('-') ? StoreMode.Remove : StoreMode.Replace;
        var item = r.ReadAtomUpper();
        var silent = item switch
        {
            "FLAGS" => false,
            "FLAGS.SILENT" => true,
            _ => throw new ImapParseException("Unknown STORE item " + item),
        };
        r.ExpectSp();
        List<string> flags;
        if (r.PeekIs('('))
        {
            flags = r.ReadFlagList();
        }
        else
        {
            flags = [r.ReadFlag()];
            while (r.TryConsume(' ')) flags.Add(r.ReadFlag());
        }
        if (flags.Contains("\\*")) throw new ImapParseException("\\* is not a flag");
        return new StoreRequest(uid, set, unchangedSince, mode, silent, flags);
    }
}
