using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>Immutable, content-addressed message bodies. A blob's name is the SHA-256 of its bytes,
/// so no client-supplied text ever becomes part of a file path.</summary>
public interface IBlobStore
{
    /// <summary>Starts a new blob in a private temporary location; nothing is visible until commit.</summary>
    IBlobWriter CreateWriter();

    /// <summary>Opens a blob for reading, or returns null when it does not exist.</summary>
    Stream? OpenRead(BlobId id);

    /// <summary>As <see cref="OpenRead(BlobId)"/> for a blob whose size the caller knows (a message
    /// record's): a store that keeps small and large bodies in different places looks first where
    /// one of that size is kept.</summary>
    Stream? OpenRead(BlobId id, long size) => OpenRead(id);

    bool Exists(BlobId id);

    long GetSize(BlobId id);
}

/// <summary>Streams bytes into a new blob while hashing them. Disposing without committing deletes
/// the partial file, so a client that vanishes mid-transfer leaves nothing behind.</summary>
public interface IBlobWriter : IAsyncDisposable
{
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>Flushes to stable storage (fsync of file and directory), then publishes the blob
    /// under its hash. Returns the existing blob when identical content is already stored.</summary>
    Task<BlobId> CommitAsync(CancellationToken ct);
}
