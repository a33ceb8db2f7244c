using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Model;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Progress;
using Vigil.Ops.Backup.Targets;

namespace Vigil.Ops.Backup.Create;

/// <summary>Makes a restore point: a consistent database snapshot (the store stays online), then
/// every blob that snapshot references which the target lacks, then the point's files, blob index
/// and signed manifest, in that order, so a manifest only ever describes bytes already durable in
/// the target. Interrupted, it leaves an incomplete point (no signature) and the blobs it copied;
/// the next run reuses those blobs and copies only the rest.</summary>
public sealed partial class BackupCreator(BackupSource source, ILogger? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    public async Task<BackupManifest> CreateAsync(IBackupTarget target, CreateOptions options, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var signerKey = Convert.ToBase64String(source.Signer.PublicKey);
        await using var targetLock = await target.LockAsync(ct);
        var repo = await BackupRepository.OpenOrCreateAsync(target, options.Key, options.Compress, options.CompressionExplicit, signerKey, source.Hostname, ct);
        var points = await repo.ListPointsAsync(ct);
        var id = NewId(points);
        var staging = Path.Combine(source.StagingDirectory, id.Value);
        // The staged snapshot is a full copy of the database: private, like the data directory.
        PrivateDirectory.Create(staging);
        IDisposable? hold = null;
        try
        {
            // From the snapshot until its bodies are copied: a body released after the snapshot
            // (its message expunged meanwhile) must still be there when its turn comes.
            if (source.SweepGuard is { } guard) hold = await guard.HoldAsync(ct);
            progress?.Report(new BackupProgress("snapshot", 0, 1, 0, 0));
            var dbFile = Path.Combine(staging, "snapshot.db");
            var snapshot = await source.Snapshotter.TakeAsync(dbFile, ct);
            progress?.Report(new BackupProgress("check", 0, 1, 0, 0));
            if (source.SnapshotFiles.CheckIntegrity(dbFile) is { } broken) throw new InvalidDataException($"The database snapshot is not sound: {broken}");
            LogSnapshot(_log, id.Value, snapshot.Messages, snapshot.Blobs.Count);

            progress?.Report(new BackupProgress("scan", 0, 1, 0, 0));
            var trust = new ManifestTrust().Add(signerKey, "this instance").Add(repo.Header.CreatorPublicKey, "target creator");
            var (previous, known) = await LoadPreviousIndexAsync(repo, points, trust, ct);
            var present = await ListBlobObjectsAsync(target, ct);
            var copy = await CopyBlobsAsync(repo, snapshot.Blobs, known, present, options.Parallelism, progress, ct);
            hold?.Dispose();
            hold = null;

            progress?.Report(new BackupProgress("files", 0, 1, 0, 0));
            var newBytes = copy.NewBytes;
            var files = new List<ManifestFile>();
            await using (var db = File.OpenRead(dbFile))
            {
                var stored = await repo.WriteObjectAsync(TargetPaths.DataFile(id, files.Count), db, encode: true, ct);
                files.Add(new ManifestFile(DataFileRole.Database, source.DatabaseDataPath, stored.Name, stored.Size, stored.Sha256));
                newBytes += stored.Size;
            }
            foreach (var file in source.Files())
            {
                if (file.Role == DataFileRole.Secret && !repo.Codec.Encrypts) continue; // never write private keys in the clear
                if (await ReadDataFileAsync(file, ct) is not { } bytes) continue;
                using var content = new MemoryStream(bytes);
                TargetPaths.EnsureDataPath(file.DataPath);
                var stored = await repo.WriteObjectAsync(TargetPaths.DataFile(id, files.Count), content, encode: true, ct);
                files.Add(new ManifestFile(file.Role, file.DataPath, stored.Name, stored.Size, stored.Sha256));
                newBytes += stored.Size;
            }

            progress?.Report(new BackupProgress("index", 0, 1, 0, 0));
            var indexPath = TargetPaths.BlobIndex(id);
            using var indexBytes = new MemoryStream();
            await BlobIndex.WriteAsync(copy.Entries, indexBytes, ct);
            indexBytes.Position = 0;
            var index = await repo.WriteObjectAsync(indexPath, indexBytes, encode: false, ct);
            newBytes += index.Size;

            // Everything the manifest will describe must be durable before the manifest exists.
            progress?.Report(new BackupProgress("commit", 0, 1, 0, 0));
            await target.FlushAsync(ct);
            var stats = new PointStats(snapshot.Accounts, snapshot.Mailboxes, snapshot.Messages, snapshot.MessageBytes,
                copy.Entries.Count, copy.Entries.Sum(e => e.Size) + files.Sum(f => f.Size) + index.Size,
                copy.NewObjects, newBytes, clock.ElapsedMilliseconds);
            var manifest = new BackupManifest(TargetHeader.CurrentFormat, id.Value, DateTimeOffset.UtcNow, source.Hostname, signerKey,
                repo.Codec.Compresses, repo.Codec.Encrypts, repo.Header.KeyId, previous?.Value, stats, files,
                new ManifestFile(DataFileRole.BlobIndex, "blobs.idx", index.Name, index.Size, index.Sha256));
            var manifestBytes = BackupJson.Serialize(manifest);
            await repo.Target.WriteNewAsync(TargetPaths.Manifest(id), (s, c) => s.WriteAsync(manifestBytes, c).AsTask(), ct);
            var signature = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(source.Signer.Sign(manifestBytes)) + "\n");
            await repo.Target.WriteNewAsync(TargetPaths.Signature(id), (s, c) => s.WriteAsync(signature, c).AsTask(), ct);
            await target.FlushAsync(ct);
            LogCreated(_log, id.Value, copy.NewObjects, newBytes, clock.ElapsedMilliseconds);
            return manifest;
        }
        finally
        {
            hold?.Dispose();
            try { Directory.Delete(staging, recursive: true); }
            catch (IOException) { }
        }
    }

    private static RestorePointId NewId(IReadOnlyList<PointListing> points)
    {
        var now = DateTimeOffset.UtcNow;
        for (var seq = 0; ; seq++)
        {
            var id = RestorePointId.For(now, seq);
            if (points.All(p => p.Id != id)) return id;
        }
    }

    /// <summary>The newest complete, trusted point's blob index: for objects it lists, size and
    /// hash are known without reading them again.</summary>
    private async Task<(RestorePointId?, Dictionary<string, BlobEntry>)> LoadPreviousIndexAsync(
        BackupRepository repo, IReadOnlyList<PointListing> points, ManifestTrust trust, CancellationToken ct)
    {
        foreach (var point in points.Where(p => p.IsComplete).Reverse())
        {
            try
            {
                var manifest = await repo.ReadManifestAsync(point.Id, trust, ct);
                return (point.Id, await repo.ReadBlobIndexAsync(manifest, ct));
            }
            catch (BackupVerificationException ex)
            {
                LogPreviousUnusable(_log, point.Id.Value, ex.Message);
            }
        }
        return (null, new Dictionary<string, BlobEntry>(StringComparer.Ordinal));
    }

    private static async Task<Dictionary<string, long>> ListBlobObjectsAsync(IBackupTarget target, CancellationToken ct)
    {
        var present = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var o in target.ListAsync(TargetPaths.BlobsPrefix, ct))
        {
            if (TargetPaths.BlobName(o.Path) is { } name) present[name] = o.Size;
        }
        return present;
    }

    private sealed record CopyResult(IReadOnlyCollection<BlobEntry> Entries, long NewObjects, long NewBytes);

    /// <summary>Copies the blobs the target lacks; for those it has, takes size and hash from the
    /// previous index or, for objects no trusted index lists (left by an interrupted run), re-reads them.</summary>
    private async Task<CopyResult> CopyBlobsAsync(BackupRepository repo, IReadOnlyList<BlobId> blobs, Dictionary<string, BlobEntry> known,
        Dictionary<string, long> present, int parallelism, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var entries = new ConcurrentBag<BlobEntry>();
        var work = new List<(BlobId Blob, string Name, long Size)>();
        foreach (var blob in blobs)
        {
            var name = repo.Codec.ObjectNameOf(blob);
            if (present.TryGetValue(name, out var size) && known.TryGetValue(name, out var entry) && entry.Size == size) entries.Add(entry);
            else work.Add((blob, name, SizeOf(blob)));
        }
        var totalBytes = work.Sum(w => w.Size);
        var counter = new ProgressCounter(progress, "blobs", work.Count, totalBytes);
        counter.Start();
        long newObjects = 0, newBytes = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, async (w, c) =>
        {
            var path = TargetPaths.Blob(w.Name);
            BlobEntry? stored = null;
            if (!present.ContainsKey(w.Name))
            {
                await using var content = source.Blobs.OpenRead(w.Blob)
                    ?? throw new InvalidOperationException($"Blob {w.Blob} is referenced by the snapshot but no longer in the store (removed while the backup ran?); the next run will take a new snapshot.");
                try
                {
                    stored = await repo.WriteObjectAsync(path, content, encode: true, c);
                    Interlocked.Increment(ref newObjects);
                    Interlocked.Add(ref newBytes, stored.Size);
                }
                catch (BackupObjectExistsException) { }
            }
            stored ??= await repo.HashObjectAsync(path, c) ?? throw new InvalidOperationException($"{path} vanished from the target.");
            entries.Add(stored with { Name = w.Name });
            counter.Add(1, w.Size);
        });
        return new CopyResult(entries, newObjects, newBytes);
    }

    /// <summary>For progress only; asked once per blob, since a small body's size is a database
    /// query. A blob gone from the store counts 0 here and fails its copy with a clear message.</summary>
    private long SizeOf(BlobId blob)
    {
        try
        {
            return source.Blobs.GetSize(blob);
        }
        catch (IOException)
        {
            return 0; // not found (file or folder)
        }
    }

    /// <summary>Reads a data file; for a log that is being appended to, only up to its last
    /// complete line. Returns null when the file does not exist.</summary>
    private static async Task<byte[]?> ReadDataFileAsync(DataFileSource file, CancellationToken ct)
    {
        if (!File.Exists(file.FullPath)) return null;
        await using var fs = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        await fs.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        if (file.Role != DataFileRole.Audit) return bytes;
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        return bytes[..end];
    }

    [LoggerMessage(EventId = 11001, EventName = "backup.snapshot", Level = LogLevel.Information, Message = "Backup {PointId}: snapshot of {Messages} messages referencing {Blobs} blobs")]
    private static partial void LogSnapshot(ILogger logger, string pointId, long messages, int blobs);

    [LoggerMessage(EventId = 11002, EventName = "backup.created", Level = LogLevel.Information, Message = "Backup {PointId} complete: {NewObjects} new blobs, {NewBytes} new bytes, {Ms} ms")]
    private static partial void LogCreated(ILogger logger, string pointId, long newObjects, long newBytes, long ms);

    [LoggerMessage(EventId = 11003, EventName = "backup.previous-unusable", Level = LogLevel.Warning, Message = "Point {PointId} does not verify and is not used as the base of this backup: {Problem}")]
    private static partial void LogPreviousUnusable(ILogger logger, string pointId, string problem);
}
