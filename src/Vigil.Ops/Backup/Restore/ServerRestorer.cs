using System.Text.Json;
using Vigil.Core.Storage;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Progress;
using Vigil.Security;

namespace Vigil.Ops.Backup.Restore;

/// <summary>Restores a whole server into a new, empty data directory, never over an existing one.
/// Every byte is checked as it is read: data files against the signed manifest, blobs against their
/// own names (the SHA-256 of their content). If anything fails verification the new directory is
/// removed and the error names the file. Interrupted (Ctrl-C), the directory keeps a marker, and
/// running the same restore again continues, keeping the blobs already in place.</summary>
public sealed class ServerRestorer(BackupRepository repo, ManifestTrust trust, ISnapshotFiles snapshots, int parallelism = 4)
{
    public const string MarkerFile = ".vigil-restore.json";

    public async Task<RestoreSummary> RestoreAsync(RestorePointId id, RestoreLayout layout, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var resuming = CheckDestination(layout.DataDirectory, id);
        var manifest = await repo.ReadManifestAsync(id, trust, ct); // nothing is written before the signature checks
        PrivateDirectory.Create(layout.DataDirectory);
        var marker = Path.Combine(layout.DataDirectory, MarkerFile);
        if (!resuming) await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(new { point = id.Value, started = DateTimeOffset.UtcNow }), ct);
        try
        {
            var result = await RestoreContentAsync(id, manifest, layout, progress, ct);
            File.Delete(marker);
            return result;
        }
        catch (BackupVerificationException)
        {
            // What was restored came from a point that does not verify: leave nothing usable behind.
            Directory.Delete(layout.DataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>True when resuming an interrupted restore of the same point; throws when the
    /// directory holds anything else.</summary>
    private static bool CheckDestination(string directory, RestorePointId id)
    {
        if (!Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any()) return false;
        var marker = Path.Combine(directory, MarkerFile);
        if (File.Exists(marker))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(marker));
            var point = doc.RootElement.GetProperty("point").GetString();
            if (point == id.Value) return true;
            throw new InvalidOperationException($"{directory} holds an unfinished restore of point {point}; finish that one or choose another directory.");
        }
        throw new InvalidOperationException($"{directory} is not empty; a restore only ever writes into a new, empty data directory.");
    }

    private async Task<RestoreSummary> RestoreContentAsync(RestorePointId id, BackupManifest manifest, RestoreLayout layout, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var database = manifest.Files.SingleOrDefault(f => f.Role == DataFileRole.Database)
            ?? throw new BackupVerificationException(TargetPaths.Manifest(id), "lists no database");
        Directory.CreateDirectory(Path.GetDirectoryName(layout.DatabasePath)!);
        var pendingDb = layout.DatabasePath + ".restoring";
        progress?.Report(new BackupProgress("database", 0, 1, 0, database.Size));
        await ExtractAsync(database, pendingDb, ct);

        var snapshot = snapshots.Describe(pendingDb);
        if (snapshots.CheckIntegrity(pendingDb) is { } broken) throw new BackupVerificationException(database.Object, "database is not sound: " + broken);
        var index = await repo.ReadBlobIndexAsync(manifest, ct);
        var importer = snapshots.CreateImporter(layout.BlobRoot);
        var counter = new ProgressCounter(progress, "blobs", snapshot.Blobs.Count, index.Values.Sum(e => e.Size));
        counter.Start();
        long restored = 0;
        await Parallel.ForEachAsync(snapshot.Blobs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, async (blob, c) =>
        {
            if (!importer.HasValid(blob))
            {
                var name = repo.Codec.ObjectNameOf(blob);
                var entry = index.GetValueOrDefault(name)
                    ?? throw new BackupVerificationException(TargetPaths.BlobIndex(id), $"lacks blob {blob}, which the database references");
                var path = TargetPaths.Blob(name);
                try
                {
                    await repo.ReadVerifiedAsync(path, entry.Size, entry.Sha256, decode: true, (content, cc) => importer.ImportAsync(blob, content, cc), c);
                }
                catch (InvalidDataException ex)
                {
                    throw new BackupVerificationException(path, ex.Message);
                }
                Interlocked.Increment(ref restored);
            }
            counter.Add(1, index.TryGetValue(repo.Codec.ObjectNameOf(blob), out var e) ? e.Size : 0);
        });

        foreach (var file in manifest.Files.Where(f => f.Role != DataFileRole.Database))
        {
            var destination = Path.Combine(layout.DataDirectory, file.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var bytes = new MemoryStream();
            await repo.ReadVerifiedAsync(file.Object, file.Size, file.Sha256, decode: true, (s, c) => s.CopyToAsync(bytes, c), ct);
            if (file.Role == DataFileRole.Secret) SecretFile.WriteAllBytes(destination, bytes.ToArray());
            else await File.WriteAllBytesAsync(destination, bytes.ToArray(), ct);
        }

        await importer.FlushAsync(ct);
        File.Move(pendingDb, layout.DatabasePath, overwrite: true);
        Core.IO.FileSystemSync.SyncFileSystemOf(layout.DatabasePath);
        return new RestoreSummary(id, snapshot.Accounts, snapshot.Messages, snapshot.Blobs.Count, restored,
            manifest.Files.Select(f => f.Path).ToList(), manifest.Files.Any(f => f.Role == DataFileRole.Secret));
    }

    /// <summary>Decodes a verified data file to <paramref name="destination"/>, replacing any
    /// leftover of an interrupted run; on a verification failure the partial file is removed.</summary>
    private async Task ExtractAsync(ManifestFile file, string destination, CancellationToken ct)
    {
        try
        {
            await repo.ReadVerifiedAsync(file.Object, file.Size, file.Sha256, decode: true, async (content, c) =>
            {
                await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None);
                await content.CopyToAsync(output, c);
            }, ct);
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
    }
}

/// <summary>What a whole-server restore produced.</summary>
public sealed record RestoreSummary(RestorePointId Id, long Accounts, long Messages, long Blobs, long BlobsWritten, IReadOnlyList<string> Files, bool HadSecrets);
