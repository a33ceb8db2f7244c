using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>ENABLE (RFC 5161): CONDSTORE, QRESYNC (which implies CONDSTORE, RFC 7162 §3.2.3),
/// UTF8=ACCEPT (RFC 6855) and IMAP4rev2 (RFC 9051 §6.3.1). Only the newly enabled ones are listed.</summary>
internal static class EnableCommand
{
    public static CommandResult Execute(ImapSession session, EnableRequest request)
    {
        if (session.State != ImapState.Authenticated) return CommandResult.Bad("ENABLE is only valid before a mailbox is selected");
        var enabled = new List<string>();
        foreach (var name in request.Capabilities)
        {
            var extension = name switch
            {
                "CONDSTORE" => Enabled.CondStore,
                "QRESYNC" => Enabled.Qresync | Enabled.CondStore,
                "UTF8=ACCEPT" => Enabled.Utf8Accept,
                "IMAP4REV2" => Enabled.Imap4Rev2,
                _ => Enabled.None,
            };
            if (extension == Enabled.None || (session.Enabled & extension) == extension) continue;
            session.Enable(extension);
            enabled.Add(name == "IMAP4REV2" ? "IMAP4rev2" : name);
        }
        var w = session.Writer;
        w.Untagged().Raw("ENABLED"u8);
        foreach (var e in enabled) w.Sp().Ascii(e);
        w.Crlf();
        return CommandResult.Ok("ENABLE completed");
    }
}
