using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Indexing;

/// <summary>Parses a stored blob (see <see cref="MessageIndexer"/>).</summary>
public static class BlobIndexer
{
    public static IndexedMessage Index(IBlobStore blobs, BlobId blob)
    {
        using var stream = Open(blobs, blob);
        return MessageIndexer.Index(stream);
    }

    /// <summary>The summary delivery and APPEND store before they answer.</summary>
    public static MessageSummary Summarize(IBlobStore blobs, BlobId blob)
    {
        using var stream = Open(blobs, blob);
        return MessageIndexer.Summarize(stream);
    }

    private static Stream Open(IBlobStore blobs, BlobId blob) =>
        blobs.OpenRead(blob) ?? throw new InvalidOperationException($"Blob {blob} is missing.");
}
