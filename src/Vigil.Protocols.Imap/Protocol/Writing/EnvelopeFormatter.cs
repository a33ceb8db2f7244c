using System.Text;
using MimeKit.Utils;
using Vigil.Core.Indexing;

namespace Vigil.Protocols.Imap.Protocol.Writing;

/// <summary>Writes ENVELOPE (RFC 9051 §7.5.2): date, subject, from, sender, reply-to, to, cc, bcc,
/// in-reply-to, message-id. Sender and Reply-To default to From when absent. Non-ASCII text is
/// sent as UTF-8 when the client enabled it, otherwise RFC 2047 encoded.</summary>
public static class EnvelopeFormatter
{
    public static void Write(ImapResponseWriter w, EnvelopeData e)
    {
        w.Open();
        w.NString(e.Date).Sp();
        w.NString(Text(w, e.Subject, phrase: false)).Sp();
        Addresses(w, e.From).Sp();
        Addresses(w, e.Sender ?? e.From).Sp();
        Addresses(w, e.ReplyTo ?? e.From).Sp();
        Addresses(w, e.To).Sp();
        Addresses(w, e.Cc).Sp();
        Addresses(w, e.Bcc).Sp();
        w.NString(e.InReplyTo).Sp();
        w.NString(e.MessageId);
        w.Close();
    }

    private static ImapResponseWriter Addresses(ImapResponseWriter w, IReadOnlyList<EnvelopeAddress>? list)
    {
        if (list is null || list.Count == 0) return w.Nil();
        w.Open();
        foreach (var a in list)
        {
            w.Open();
            w.NString(Text(w, a.Name, phrase: true)).Sp();
            w.NString(a.Route).Sp();
            w.NString(a.Mailbox).Sp();
            w.NString(a.Host);
            w.Close();
        }
        return w.Close();
    }

    private static string? Text(ImapResponseWriter w, string? value, bool phrase)
    {
        if (value is null || w.Utf8 || value.All(c => c < 0x80)) return value;
        return phrase ? Encoding.ASCII.GetString(Rfc2047.EncodePhrase(Encoding.UTF8, value)) : Encoding.ASCII.GetString(Rfc2047.EncodeText(Encoding.UTF8, value));
    }
}
