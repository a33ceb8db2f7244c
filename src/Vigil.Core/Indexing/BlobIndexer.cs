using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Indexing;

/// <summary>Indexes a stored blob (see <see cref="MessageIndexer"/>).</summary>
public static class BlobIndexer
{
    public static IndexedMessage Index(IBlobStore blobs, BlobId blob)
    {
        using var stream = blobs.OpenRead(blob) ?? throw new InvalidOperationException($"Blob {blob} is missing.");
        return MessageIndexer.Index(stream);
    }
}
