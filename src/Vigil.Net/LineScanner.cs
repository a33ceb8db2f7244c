using System.Buffers;

namespace Vigil.Net;

/// <summary>Finds protocol lines in buffered bytes. Pure: no I/O, tested byte for byte.</summary>
public static class LineScanner
{
    /// <summary>Looks for the next LF in <paramref name="buffer"/>. Returns the line including its
    /// terminator and the position after it, or null when no LF is buffered yet.</summary>
    public static SequencePosition? FindLineEnd(in ReadOnlySequence<byte> buffer)
    {
        var lf = buffer.PositionOf((byte)'\n');
        return lf is null ? null : buffer.GetPosition(1, lf.Value);
    }

    /// <summary>Strips a CRLF (or a bare LF, which the caller may reject) from a line.</summary>
    public static ReadOnlySpan<byte> TrimEol(ReadOnlySpan<byte> line, out bool bareLf)
    {
        bareLf = false;
        if (line.EndsWith("\r\n"u8)) return line[..^2];
        if (line.EndsWith("\n"u8))
        {
            bareLf = true;
            return line[..^1];
        }
        return line;
    }
}
