using Vigil.Core.Mailboxes;
using Vigil.Protocols.Imap.Protocol;

namespace Vigil.Protocols.Imap.Session;

/// <summary>Turns a mailbox name as the client wrote it into the stored name: modified UTF-7 is
/// decoded unless UTF-8 is enabled (RFC 6855 §3), and INBOX is normalised. Null for a name that
/// is not valid modified UTF-7, which the commands answer with NO.</summary>
public static class MailboxArgument
{
    /// <summary>Before ENABLE UTF8=ACCEPT (or IMAP4rev2) a name is modified UTF-7: RFC 3501 §5.1
    /// says mailbox names are 7-bit and servers SHOULD prohibit 8-bit ones, so a name with 8-bit
    /// octets is refused (NO, as Dovecot answers "not valid mUTF-7") rather than taken as UTF-8.</summary>
    public static string? Decode(ImapSession session, string raw)
    {
        if (session.Utf8On) return MailboxNames.Normalise(raw);
        return ModifiedUtf7.TryDecode(raw, out var name) ? MailboxNames.Normalise(name) : null;
    }

    /// <summary>The same for LIST patterns, which may contain wildcards.</summary>
    public static string? DecodePattern(ImapSession session, string raw) => session.Utf8On ? raw : ModifiedUtf7.TryDecode(raw, out var p) ? p : null;
}
