namespace Vigil.Security.Audit;

/// <summary>Splits audit files into lines as raw bytes: the chain hashes the exact bytes written,
/// so nothing here decodes or normalises text.</summary>
public static class AuditLines
{
    /// <summary>One line without its newline; <see cref="Terminated"/> is false for a last line that
    /// was cut short (a crash mid-write or a truncated file).</summary>
    public readonly record struct Line(long Number, ReadOnlyMemory<byte> Bytes, bool Terminated);

    public static IEnumerable<Line> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            yield break;
        }
        var start = 0;
        long number = 0;
        while (start < bytes.Length)
        {
            var nl = Array.IndexOf(bytes, (byte)'\n', start);
            number++;
            if (nl < 0)
            {
                yield return new Line(number, bytes.AsMemory(start), Terminated: false);
                yield break;
            }
            yield return new Line(number, bytes.AsMemory(start, nl - start), Terminated: true);
            start = nl + 1;
        }
    }

    /// <summary>The last complete line of a file, read from the end so appending stays cheap however
    /// long the file is; null when the file is missing or holds no complete line.</summary>
    public static byte[]? LastLine(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        using (fs)
        {
            var length = fs.Length;
            for (var window = Math.Min(length, 64 * 1024); window > 0; window = Math.Min(length, window * 4))
            {
                var buffer = new byte[window];
                fs.Position = length - window;
                fs.ReadExactly(buffer);
                var end = buffer.Length;
                if (buffer[end - 1] != (byte)'\n')
                {
                    // an unterminated fragment is not a line; the complete line before it is the tail
                    end = Array.LastIndexOf(buffer, (byte)'\n') + 1;
                    if (end == 0) { if (window == length) return null; continue; }
                }
                var lineEnd = end - 1;
                var start = lineEnd == 0 ? 0 : Array.LastIndexOf(buffer, (byte)'\n', lineEnd - 1) + 1;
                if (start > 0 || window == length) return buffer[start..lineEnd];
            }
            return null;
        }
    }

    /// <summary>The first line of a file (used to name a segment when it is closed).</summary>
    public static byte[]? FirstLine(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var collected = new List<byte>();
        int b;
        while ((b = fs.ReadByte()) >= 0 && b != '\n') collected.Add((byte)b);
        return b == '\n' ? collected.ToArray() : null;
    }
}
