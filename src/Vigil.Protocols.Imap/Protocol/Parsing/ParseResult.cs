using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>A parsed command, or why it could not be parsed. <see cref="Tag"/> is null when not
/// even the tag was readable (the reply is then an untagged BAD).</summary>
public sealed record ParseResult(string? Tag, ImapRequest? Request, string? Error, string? Code = null, bool No = false)
{
    public bool Ok => Request is not null;
}
