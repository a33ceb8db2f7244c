using System.Globalization;

namespace Vigil.Protocols.Imap.Session;

/// <summary>The CAPABILITY list for the session's state (RFC 9051 §7.2.2). Before TLS, remote
/// clients see LOGINDISABLED and no AUTH= mechanism (RFC 9051 §6.2.3, issue 3 §1).</summary>
internal static class Capabilities
{
    private static readonly string[] Extensions =
    [
        "SASL-IR", "LITERAL+", "ID", "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN",
        "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "CREATE-SPECIAL-USE", "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES",
        "SORT", "SORT=DISPLAY", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "WITHIN", "BINARY", "MULTIAPPEND", "CATENATE",
        "QUOTA", "QUOTA=RES-STORAGE", "STATUS=SIZE", "UTF8=ACCEPT",
    ];

    public static string For(ImapSession session)
    {
        var list = new List<string> { "IMAP4rev1", "IMAP4rev2" };
        if (session.State == ImapState.NotAuthenticated)
        {
            if (session.CanStartTls) list.Add("STARTTLS");
            if (session.AuthAllowed) list.AddRange(["AUTH=PLAIN", "AUTH=LOGIN"]);
            else list.Add("LOGINDISABLED");
        }
        list.AddRange(Extensions);
        list.Add("APPENDLIMIT=" + session.Options.AppendLimit.ToString(CultureInfo.InvariantCulture));
        if (session.CanCompress) list.Add("COMPRESS=DEFLATE");
        return string.Join(' ', list);
    }
}
