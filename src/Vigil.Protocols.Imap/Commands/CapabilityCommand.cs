using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>CAPABILITY (RFC 9051 §6.1.1).</summary>
internal static class CapabilityCommand
{
    public static CommandResult Execute(ImapSession session)
    {
        session.Writer.Untagged().Raw("CAPABILITY "u8).Ascii(Capabilities.For(session)).Crlf();
        return CommandResult.Ok("CAPABILITY completed");
    }
}
