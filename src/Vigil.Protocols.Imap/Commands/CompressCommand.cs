using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>COMPRESS DEFLATE (RFC 4978): the tagged OK goes out uncompressed, everything after it
/// in both directions is raw DEFLATE. A second COMPRESS is refused with [COMPRESSIONACTIVE].</summary>
internal static class CompressCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, CompressRequest request, CancellationToken ct)
    {
        if (session.Connection.IsCompressed) return CommandResult.No("Compression is already active", "COMPRESSIONACTIVE");
        if (request.Mechanism != "DEFLATE") return CommandResult.Bad("Unknown compression mechanism");
        session.Writer.Tagged(request.Tag, "OK", null, "DEFLATE active");
        await session.Connection.StartCompressionAsync(ct);
        return CommandResult.None;
    }
}
