using System.Reflection;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>ID (RFC 2971): names the server; what the client says about itself is only logged.</summary>
internal static class IdCommand
{
    private static readonly string Version = typeof(IdCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static CommandResult Execute(ImapSession session, IdRequest request)
    {
        var w = session.Writer;
        w.Untagged().Raw("ID (\"name\" \"Vigil\" \"version\" "u8).String(Version).Close().Crlf();
        return CommandResult.Ok("ID completed");
    }
}
