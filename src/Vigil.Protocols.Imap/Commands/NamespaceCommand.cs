using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>NAMESPACE (RFC 2342, RFC 9051 §6.3.10): one personal namespace, no prefix, "/" delimiter.</summary>
internal static class NamespaceCommand
{
    public static CommandResult Execute(ImapSession session)
    {
        session.Writer.Untagged().Raw("NAMESPACE ((\"\" \"/\")) NIL NIL"u8).Crlf();
        return CommandResult.Ok("NAMESPACE completed");
    }
}
