using System.Collections.Concurrent;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>The size LIST and STAT report for a message: the octets RETR delivers, which differ
/// from the stored size when a message lacks a final CRLF or has bare LFs (BDAT, APPEND). Blobs
/// are immutable and named by their hash, so the answer for a blob never changes and is cached;
/// only the first POP3 login after delivery reads the bytes.</summary>
public sealed class MessageSizes(IBlobStore blobs, int capacity = 200_000)
{
    private const int ChunkSize = 64 * 1024;
    private readonly ConcurrentDictionary<BlobId, long> _cache = new();

    /// <summary>Null when the blob is gone (expunged and collected since the listing).</summary>
    public async Task<long?> GetAsync(BlobId blob, CancellationToken ct)
    {
        if (_cache.TryGetValue(blob, out var cached)) return cached;
        var stream = blobs.OpenRead(blob);
        if (stream is null) return null;
        var encoder = new MessageEncoder();
        var buffer = new byte[ChunkSize];
        await using (stream)
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0) encoder.Write(buffer.AsSpan(0, n), null);
        }
        encoder.Complete(null);
        if (_cache.Count >= capacity) _cache.Clear(); // crude bound; recomputing is only a re-read
        _cache[blob] = encoder.CanonicalLength;
        return encoder.CanonicalLength;
    }
}
