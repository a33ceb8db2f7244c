using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>Consistent point-in-time copies of the live metadata store, for backups. The copy is
/// taken while the store stays online (writers are not paused), and it names every blob it
/// references, so a backup can copy exactly those bodies.</summary>
public interface IStoreSnapshotter
{
    /// <summary>Writes a consistent copy of the metadata database to <paramref name="destinationFile"/>
    /// (which must not exist) and describes it.</summary>
    Task<StoreSnapshot> TakeAsync(string destinationFile, CancellationToken ct);
}

/// <summary>Snapshot files once taken: reading, checking and restoring them. Needs no live store,
/// so a restore works on a machine where nothing runs yet.</summary>
public interface ISnapshotFiles
{
    /// <summary>Describes an existing snapshot file (counts and referenced blobs).</summary>
    StoreSnapshot Describe(string snapshotFile);

    /// <summary>Runs the engine's own consistency check on a snapshot file; null when it is sound,
    /// otherwise the first problem found.</summary>
    string? CheckIntegrity(string snapshotFile);

    /// <summary>Opens a snapshot file (a private copy: it may be migrated forward) through the
    /// ordinary store interfaces, so a restore reads it exactly as the server reads live data.</summary>
    Task<SnapshotStores> OpenAsync(string snapshotFile, CancellationToken ct);

    /// <summary>Writes message bodies into the blob folder of a data directory that no server is
    /// using yet (a whole-server restore). Faster than <see cref="IBlobStore"/>: durability comes
    /// from one <see cref="IBlobImporter.FlushAsync"/> at the end instead of an fsync per blob.</summary>
    IBlobImporter CreateImporter(string blobRoot);
}

/// <summary>What a snapshot holds: counts for reports and the blobs it references.</summary>
public sealed record StoreSnapshot(long Accounts, long Mailboxes, long Messages, long MessageBytes, IReadOnlyList<BlobId> Blobs);

/// <summary>The ordinary store interfaces over a snapshot file; disposing closes it.</summary>
public sealed class SnapshotStores(IDirectoryStore directory, IMessageStore messages, IAsyncDisposable owner) : IAsyncDisposable
{
    public IDirectoryStore Directory { get; } = directory;
    public IMessageStore Messages { get; } = messages;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}

/// <summary>Places verified bodies into a blob folder under their hash names.</summary>
public interface IBlobImporter
{
    /// <summary>True when a blob with this id is present and its content hashes to its name.</summary>
    bool HasValid(BlobId id);

    /// <summary>Streams <paramref name="content"/> into the blob <paramref name="expected"/>; throws
    /// <see cref="InvalidDataException"/> (and leaves nothing behind) when the bytes do not hash to it.</summary>
    Task ImportAsync(BlobId expected, Stream content, CancellationToken ct);

    /// <summary>Makes everything imported so far durable.</summary>
    Task FlushAsync(CancellationToken ct);
}
