using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>RFC 6855 §3 with verified erratum 4029: once a client has sent ENABLE UTF8=ACCEPT, its
/// strings are UTF-8 by definition, so a SEARCH that still names a charset gets BAD. SORT and THREAD
/// must name one; the erratum asks for BAD on any but UTF-8 "due to the conflicting charset
/// labels", and US-ASCII is accepted too because it cannot conflict (every US-ASCII string is the
/// same UTF-8 string) and MailKit sends it for ASCII-only criteria. Every other charset is already
/// NO [BADCHARSET]. IMAP4rev2 alone does not trigger this: RFC 9051 §6.4.4 keeps SEARCH CHARSET.</summary>
internal static class SearchCharsetRule
{
    public static CommandResult? Check(ImapSession session, string? charset) =>
        (session.Enabled & Enabled.Utf8Accept) != 0 && charset is not null
            ? CommandResult.Bad("No CHARSET after ENABLE UTF8=ACCEPT: strings are UTF-8")
            : null;
}
