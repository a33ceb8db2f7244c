using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>CATENATE (RFC 4469): builds a message from literal text and parts of stored messages.</summary>
internal static class CatenateCommand
{
    public static Task<UploadResult> BuildAsync(ImapSession session, IReadOnlyList<CatenatePart> parts, CancellationToken ct) =>
        Task.FromResult(UploadResult.Failed(CommandResult.No("CATENATE is not available", "CANNOT")));
}
