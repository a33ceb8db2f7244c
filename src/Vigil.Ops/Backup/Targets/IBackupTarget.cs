namespace Vigil.Ops.Backup.Targets;

/// <summary>Where restore points live: a local or mounted directory, or an S3-compatible bucket.
/// Paths are relative, '/'-separated and made only by Vigil's own code from validated names
/// (<see cref="Format.TargetPaths"/>); no user text ever becomes part of one.
/// The contract is append-only: <see cref="WriteNewAsync"/> never replaces an object, and
/// <see cref="DeleteAsync"/> is called by retention alone.</summary>
public interface IBackupTarget : IAsyncDisposable
{
    /// <summary>Where this is, for messages (a directory, or s3://bucket/prefix).</summary>
    string Location { get; }

    /// <summary>Opens an object for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken ct);

    /// <summary>Creates a new object from what <paramref name="write"/> writes. The object becomes
    /// visible complete or not at all. Throws <see cref="BackupObjectExistsException"/> if it
    /// already exists (it is never overwritten).</summary>
    Task WriteNewAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct);

    /// <summary>Every object whose path starts with <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<TargetObject> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Makes every object written so far durable; called before a commit record is written.</summary>
    Task FlushAsync(CancellationToken ct);

    /// <summary>Removes an object if present. Only retention (prune) calls this.</summary>
    Task DeleteAsync(string path, CancellationToken ct);

    /// <summary>Takes the target's exclusive lock for a create or prune, or throws
    /// <see cref="BackupTargetBusyException"/> when another holds it.</summary>
    Task<IAsyncDisposable> LockAsync(CancellationToken ct);
}

/// <summary>One stored object.</summary>
public sealed record TargetObject(string Path, long Size, DateTimeOffset LastModified);

/// <summary>A write would have replaced an existing object.</summary>
public sealed class BackupObjectExistsException(string path) : IOException($"{path} already exists in the backup target; it is never overwritten.")
{
    public string Path { get; } = path;
}

/// <summary>Another create or prune holds the target.</summary>
public sealed class BackupTargetBusyException(string location) : IOException($"Another backup operation is running on {location}; try again when it has finished.");
