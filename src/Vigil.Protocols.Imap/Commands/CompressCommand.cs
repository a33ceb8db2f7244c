using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>COMPRESS DEFLATE (RFC 4978).</summary>
internal static class CompressCommand
{
    public static Task<CommandResult> ExecuteAsync(ImapSession session, CompressRequest request, CancellationToken ct)
    {
        if (request.Mechanism != "DEFLATE") return Task.FromResult(CommandResult.No("Unknown compression mechanism", "CANNOT"));
        return Task.FromResult(CommandResult.No("Compression is not available", "CANNOT"));
    }
}
