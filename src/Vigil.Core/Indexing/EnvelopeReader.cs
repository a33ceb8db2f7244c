using MimeKit;

namespace Vigil.Core.Indexing;

/// <summary>Builds the ENVELOPE fields of a parsed message (RFC 3501 §7.4.2).</summary>
internal static class EnvelopeReader
{
    public static EnvelopeData Read(MimeMessage m) => new(
        Raw(m, HeaderId.Date),
        Raw(m, HeaderId.Subject),
        m.Headers.Contains(HeaderId.Subject) ? m.Subject : null,
        Addresses(m, HeaderId.From, m.From),
        Addresses(m, HeaderId.Sender, m.Sender is null ? [] : [m.Sender]),
        Addresses(m, HeaderId.ReplyTo, m.ReplyTo),
        Addresses(m, HeaderId.To, m.To),
        Addresses(m, HeaderId.Cc, m.Cc),
        Addresses(m, HeaderId.Bcc, m.Bcc),
        Raw(m, HeaderId.InReplyTo),
        Raw(m, HeaderId.MessageId));

    private static string? Raw(MimeMessage m, HeaderId id)
    {
        var i = m.Headers.IndexOf(id);
        return i < 0 ? null : HeaderText.Unfold(m.Headers[i].RawValue);
    }

    private static IReadOnlyList<EnvelopeAddress>? Addresses(MimeMessage m, HeaderId id, IEnumerable<InternetAddress> list)
    {
        if (!m.Headers.Contains(id)) return null;
        var result = new List<EnvelopeAddress>();
        foreach (var a in list) Add(a, result);
        return result.Count == 0 ? null : result;
    }

    private static void Add(InternetAddress address, List<EnvelopeAddress> result)
    {
        switch (address)
        {
            case MailboxAddress mailbox:
                result.Add(new EnvelopeAddress(
                    string.IsNullOrEmpty(mailbox.Name) ? null : mailbox.Name,
                    mailbox.Route.Count == 0 ? null : string.Join(',', mailbox.Route.Select(r => "@" + r)),
                    mailbox.LocalPart,
                    string.IsNullOrEmpty(mailbox.Domain) ? null : mailbox.Domain));
                break;
            case GroupAddress group:
                result.Add(new EnvelopeAddress(null, null, group.Name ?? "", null));
                foreach (var member in group.Members) Add(member, result);
                result.Add(EnvelopeAddress.GroupEnd);
                break;
        }
    }
}
