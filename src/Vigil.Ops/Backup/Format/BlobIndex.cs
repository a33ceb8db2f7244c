using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Vigil.Ops.Backup.Format;

/// <summary>One blob object as a point references it: size and SHA-256 of the stored bytes.</summary>
public sealed record BlobEntry(string Name, long Size, string Sha256);

/// <summary><c>blobs.idx</c>: every blob object of a point, one line each
/// (<c>name size sha256</c>), sorted by name, after a format line; Brotli-compressed, since a large
/// store has hundreds of thousands of lines. It holds object names only (HMACs in an encrypted
/// target), never message content.</summary>
public static class BlobIndex
{
    private const string FormatLine = "vigil-blob-index/1";

    public static async Task WriteAsync(IEnumerable<BlobEntry> entries, Stream destination, CancellationToken ct)
    {
        await using var brotli = new BrotliStream(destination, CompressionLevel.Optimal, leaveOpen: true);
        await using var writer = new StreamWriter(brotli, new UTF8Encoding(false), 64 * 1024);
        writer.NewLine = "\n";
        await writer.WriteLineAsync(FormatLine);
        foreach (var e in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync($"{e.Name} {e.Size.ToString(CultureInfo.InvariantCulture)} {e.Sha256}");
        }
    }

    public static async Task<Dictionary<string, BlobEntry>> ReadAsync(Stream source, CancellationToken ct)
    {
        var entries = new Dictionary<string, BlobEntry>(StringComparer.Ordinal);
        await using var brotli = new BrotliStream(source, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        if (await reader.ReadLineAsync(ct) != FormatLine) throw new InvalidDataException("blobs.idx: unknown format.");
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || parts[0].Length != 64 || parts[2].Length != 64)
            {
                throw new InvalidDataException($"blobs.idx: malformed line '{line}'.");
            }
            entries[parts[0]] = new BlobEntry(parts[0], size, parts[2]);
        }
        return entries;
    }
}
