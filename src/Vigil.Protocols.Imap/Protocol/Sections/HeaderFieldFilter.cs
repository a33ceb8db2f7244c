using System.Text;

namespace Vigil.Protocols.Imap.Protocol.Sections;

/// <summary>HEADER.FIELDS and HEADER.FIELDS.NOT (RFC 9051 §6.4.5): the header fields whose names
/// are (or are not) in the list, each with its continuation lines, followed by the blank line
/// that ends a header.</summary>
public static class HeaderFieldFilter
{
    public static byte[] Filter(ReadOnlySpan<byte> header, IReadOnlyList<string> names, bool exclude)
    {
        var wanted = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        using var output = new MemoryStream();
        var pos = 0;
        var keep = false;
        while (pos < header.Length)
        {
            var lf = header[pos..].IndexOf((byte)'\n');
            var lineEnd = lf < 0 ? header.Length : pos + lf + 1;
            var line = header[pos..lineEnd];
            pos = lineEnd;
            if (IsBlank(line)) break;
            if (line[0] is not ((byte)' ' or (byte)'\t'))
            {
                var colon = line.IndexOf((byte)':');
                var name = colon < 0 ? "" : Encoding.ASCII.GetString(line[..colon]).TrimEnd();
                keep = colon > 0 && wanted.Contains(name) != exclude;
            }
            if (!keep) continue;
            output.Write(line);
            if (line[^1] != (byte)'\n') output.Write("\r\n"u8);
        }
        output.Write("\r\n"u8);
        return output.ToArray();
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8);
}
