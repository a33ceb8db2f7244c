namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>Finds a literal announcement at the end of a command line: "{n}" (synchronizing),
/// "{n+}" (non-synchronizing, RFC 7888) or "~{n}" (literal8, RFC 3516).</summary>
public readonly record struct LiteralMarker(long Size, bool NonSync, bool Binary, int Start)
{
    public static LiteralMarker? Find(ReadOnlySpan<byte> line)
    {
        if (line.Length < 3 || line[^1] != (byte)'}') return null;
        var open = line.LastIndexOf((byte)'{');
        if (open < 0) return null;
        var inner = line[(open + 1)..^1];
        var nonSync = false;
        if (!inner.IsEmpty && inner[^1] == (byte)'+')
        {
            nonSync = true;
            inner = inner[..^1];
        }
        if (inner.IsEmpty || inner.Length > 19) return null;
        long size = 0;
        foreach (var b in inner)
        {
            if (b is < (byte)'0' or > (byte)'9') return null;
            // 19 digits can exceed long.MaxValue and wrap negative (found by fuzzing): saturate, so
            // the size checks refuse it as too large instead of taking it for an empty literal.
            size = size > (long.MaxValue - 9) / 10 ? long.MaxValue : size * 10 + (b - '0');
        }
        var binary = open > 0 && line[open - 1] == (byte)'~';
        return new LiteralMarker(size, nonSync, binary, binary ? open - 1 : open);
    }
}
