using Vigil.Core.Mailboxes;
using Vigil.Protocols.Imap.Protocol;

namespace Vigil.Protocols.Imap.Session;

/// <summary>Turns a mailbox name as the client wrote it into the stored name: modified UTF-7 is
/// decoded unless UTF-8 is enabled (RFC 6855 §3), and INBOX is normalised. Null for a name that
/// is not valid modified UTF-7.</summary>
public static class MailboxArgument
{
    public static string? Decode(ImapSession session, string raw)
    {
        if (session.Utf8On) return MailboxNames.Normalise(raw);
        if (ModifiedUtf7.TryDecode(raw, out var name)) return MailboxNames.Normalise(name);
        // 8-bit from a client that did not enable UTF-8 is taken as UTF-8 (lenient), but a
        // broken "&...-" sequence is an error.
        return raw.Contains('&', StringComparison.Ordinal) ? null : MailboxNames.Normalise(raw);
    }

    /// <summary>The same for LIST patterns, which may contain wildcards.</summary>
    public static string? DecodePattern(ImapSession session, string raw) => session.Utf8On ? raw : ModifiedUtf7.TryDecode(raw, out var p) ? p : raw.Contains('&', StringComparison.Ordinal) ? null : raw;
}
