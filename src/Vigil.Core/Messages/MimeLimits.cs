using MimeKit;

namespace Vigil.Core.Messages;

/// <summary>The MimeKit parser options for every parse of a message from outside (delivery, APPEND,
/// mail authentication, DSNs, outbound). MimeKit parses nested multiparts and messages recursively,
/// so their depth is bounded: one APPEND of a message nested 3,000 levels deep overflowed the stack
/// of the thread that indexed it and ended the whole server process (found against a live server).
/// Deeper content is kept as an opaque part. Dovecot's parser stops at 100 levels too
/// (MESSAGE_PARSER_DEFAULT_MAX_NESTED_MIME_PARTS).</summary>
public static class MimeLimits
{
    public const int MaxDepth = 100;

    /// <summary>A fresh instance each time: ParserOptions is mutable, so none is shared.</summary>
    public static ParserOptions ParserOptions() => new() { MaxMimeDepth = MaxDepth };
}
