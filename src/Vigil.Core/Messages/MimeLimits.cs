using MimeKit;

namespace Vigil.Core.Messages;

/// <summary>How every message from outside is parsed (delivery, APPEND, mail authentication, DSNs,
/// outbound), within bounds, as Dovecot's parser bounds it (MESSAGE_PARSER_DEFAULT_MAX_NESTED_MIME_PARTS
/// 100, ..._MAX_TOTAL_MIME_PARTS 10000):
/// <list type="bullet">
/// <item>Nesting: MimeKit parses nested multiparts and messages recursively; one APPEND of a message
/// nested 3,000 levels deep overflowed the stack of the thread that indexed it and ended the whole
/// server process. Deeper content is left unparsed.</item>
/// <item>Parts: MimeKit keeps an object per part, about 2 KB each; a 700 KB APPEND of 100,000 empty
/// parts took 200 MB, so a 50 MB one would take GBs. A message of more parts is parsed again
/// without descending into its body, which is then one opaque part.</item>
/// </list>
/// Both were found against a live server.</summary>
public static class MimeLimits
{
    public const int MaxDepth = 100;
    public const int MaxParts = 10_000;

    /// <summary>Parses <paramref name="stream"/> (seekable, at the message's start).
    /// <paramref name="observe"/> sees each parser before it runs (a second one when the first gave up).</summary>
    public static MimeMessage ParseMessage(Stream stream, bool persistent, Action<MimeParser>? observe = null)
    {
        var start = stream.Position;
        try
        {
            return Parser(stream, persistent, MaxDepth, observe).ParseMessage();
        }
        catch (TooManyPartsException)
        {
            stream.Position = start;
            return Parser(stream, persistent, 0, observe).ParseMessage();
        }
    }

    /// <inheritdoc cref="ParseMessage"/>
    public static async Task<MimeMessage> ParseMessageAsync(Stream stream, bool persistent, CancellationToken ct)
    {
        var start = stream.Position;
        try
        {
            return await Parser(stream, persistent, MaxDepth, null).ParseMessageAsync(ct);
        }
        catch (TooManyPartsException)
        {
            stream.Position = start;
            return await Parser(stream, persistent, 0, null).ParseMessageAsync(ct);
        }
    }

    private static MimeParser Parser(Stream stream, bool persistent, int depth, Action<MimeParser>? observe)
    {
        var parser = new MimeParser(new ParserOptions { MaxMimeDepth = depth }, stream, MimeFormat.Entity, persistent);
        if (depth > 0)
        {
            var parts = 0;
            parser.MimeEntityBegin += (_, _) =>
            {
                if (++parts > MaxParts) throw new TooManyPartsException();
            };
        }
        observe?.Invoke(parser);
        return parser;
    }

    /// <summary>Thrown from the parser's own event to stop it early; never leaves this class.</summary>
    private sealed class TooManyPartsException : Exception;
}
