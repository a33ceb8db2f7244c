using Vigil.Core.Storage;
using Vigil.Ops.Backup.Format;
using Vigil.Security.Keys;

namespace Vigil.Ops.Backup.Create;

/// <summary>What a backup reads from a running instance: the store (snapshot and blobs), the data
/// files that go with it, where to stage the snapshot, the key that signs manifests, and the guard
/// that keeps the store from deleting released bodies while the snapshot's bodies are copied.</summary>
public sealed record BackupSource(
    IStoreSnapshotter Snapshotter,
    ISnapshotFiles SnapshotFiles,
    IBlobStore Blobs,
    string DatabaseDataPath,
    Func<IReadOnlyList<DataFileSource>> Files,
    string StagingDirectory,
    InstanceKey Signer,
    string Hostname,
    IBlobSweepGuard? SweepGuard = null);

/// <summary>A file of the data directory backed up beside the database, by its data-relative path.
/// <see cref="DataFileRole.Secret"/> files go only into encrypted targets.</summary>
public sealed record DataFileSource(DataFileRole Role, string DataPath, string FullPath);

/// <summary>How to store a new point. <see cref="Compress"/> applies to a new target; an existing
/// target keeps its own setting unless <see cref="CompressionExplicit"/> asks for the other one,
/// which is an error. The key must match the target's. <see cref="Parallelism"/> is the number of
/// blobs copied at once.</summary>
public sealed record CreateOptions(bool Compress, Crypto.BackupKey? Key, int Parallelism = 4)
{
    public bool CompressionExplicit { get; init; }
}
