namespace Vigil.Core.Indexing;

/// <summary>Counts text lines of a byte range of the message for BODYSTRUCTURE (RFC 3501
/// body-fld-lines) as the number of line ends. The CRLF before a boundary belongs to the boundary,
/// so a part "a\r\nb" has one line end; Dovecot counts the same way, and clients only use the
/// figure as a size hint.</summary>
internal sealed class LineCounter(Stream message)
{
    private readonly byte[] _buffer = new byte[16 * 1024];

    public long Count(long from, long to)
    {
        if (to <= from) return 0;
        message.Position = from;
        long lines = 0;
        long remaining = to - from;
        while (remaining > 0)
        {
            var n = message.Read(_buffer, 0, (int)Math.Min(_buffer.Length, remaining));
            if (n <= 0) break;
            var span = _buffer.AsSpan(0, n);
            lines += System.MemoryExtensions.Count(span, (byte)'\n');
            remaining -= n;
        }
        return lines;
    }
}
