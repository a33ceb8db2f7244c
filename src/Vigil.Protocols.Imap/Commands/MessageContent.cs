using System.IO.Pipelines;
using Vigil.Core.Indexing;
using Vigil.Core.Storage;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>The bytes of one stored message, opened on first use: ranges are read into memory
/// when small or filtered, and streamed to the client in chunks otherwise.</summary>
internal sealed class MessageContent(IBlobStore blobs, MessageRecord record) : IDisposable
{
    private const int Chunk = 64 * 1024;
    private Stream? _stream;

    private Stream Stream => _stream ??= Open() ?? throw new InvalidOperationException($"Blob {record.BlobId} is missing.");

    /// <summary>Opens the body now; false when the store no longer has it.</summary>
    public bool TryOpen() => (_stream ??= Open()) is not null;

    private Stream? Open() => blobs.OpenRead(record.BlobId, record.Size);

    public byte[] Read(long start, long length)
    {
        var bytes = new byte[length];
        Stream.Position = start;
        Stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>True when the range holds a NUL octet, read in chunks so a large body is never held in memory.</summary>
    public bool ContainsNul(long start, long length)
    {
        var buffer = new byte[(int)Math.Min(Chunk, Math.Max(length, 1))];
        Stream.Position = start;
        while (length > 0)
        {
            var n = Stream.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (n <= 0) return false;
            if (buffer.AsSpan(0, n).Contains((byte)0)) return true;
            length -= n;
        }
        return false;
    }

    /// <summary>Copies a range to the output, flushing every few chunks so a 50 MB body is never
    /// held in memory.</summary>
    public async Task CopyAsync(long start, long length, PipeWriter output, CancellationToken ct)
    {
        Stream.Position = start;
        while (length > 0)
        {
            var memory = output.GetMemory((int)Math.Min(Chunk, length));
            var n = await Stream.ReadAsync(memory[..(int)Math.Min(memory.Length, length)], ct);
            if (n <= 0) throw new EndOfStreamException($"Blob {record.BlobId} is shorter than its record.");
            output.Advance(n);
            length -= n;
            if (output.UnflushedBytes >= 4 * Chunk) await output.FlushAsync(ct);
        }
    }

    /// <summary>The summary of a message stored before summaries existed, parsed now.</summary>
    public MessageSummary Summarize()
    {
        Stream.Position = 0;
        return MessageIndexer.Summarize(Stream);
    }

    public void Dispose() => _stream?.Dispose();
}
