using System.Collections.Concurrent;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Progress;

namespace Vigil.Ops.Backup.Verify;

/// <summary>Re-reads and re-hashes every file of a restore point against its signed manifest: the
/// signature first, then each data file and the blob index, then every blob object the index lists.
/// Reports every problem, naming the object, rather than stopping at the first.</summary>
public sealed class BackupVerifier(BackupRepository repo, ManifestTrust trust, int parallelism = 4)
{
    /// <summary>Objects already found good in this run (name → SHA-256), so verifying many points
    /// reads each shared blob once.</summary>
    private readonly ConcurrentDictionary<string, string> _good = new(StringComparer.Ordinal);

    public async Task<VerifyResult> VerifyAsync(RestorePointId id, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var problems = new ConcurrentBag<VerifyProblem>();
        BackupManifest manifest;
        try
        {
            manifest = await repo.ReadManifestAsync(id, trust, ct);
        }
        catch (BackupVerificationException ex)
        {
            return new VerifyResult(id, [new VerifyProblem(ex.File, ex.Problem)], 0, 0);
        }

        long objects = 0, bytes = 0;
        foreach (var file in manifest.Files)
        {
            if (await CheckAsync(file.Object, file.Size, file.Sha256, problems, ct)) { objects++; bytes += file.Size; }
        }
        Dictionary<string, BlobEntry> index;
        try
        {
            index = await repo.ReadBlobIndexAsync(manifest, ct);
            objects++;
        }
        catch (BackupVerificationException ex)
        {
            problems.Add(new VerifyProblem(ex.File, ex.Problem));
            return new VerifyResult(id, [.. problems], objects, bytes);
        }

        var counter = new ProgressCounter(progress, $"verify {id}", index.Count, index.Values.Sum(e => e.Size));
        counter.Start();
        await Parallel.ForEachAsync(index.Values, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, async (entry, c) =>
        {
            if (await CheckAsync(TargetPaths.Blob(entry.Name), entry.Size, entry.Sha256, problems, c))
            {
                Interlocked.Increment(ref objects);
                Interlocked.Add(ref bytes, entry.Size);
            }
            counter.Add(1, entry.Size);
        });
        return new VerifyResult(id, problems.OrderBy(p => p.File, StringComparer.Ordinal).ToList(), objects, bytes);
    }

    private async Task<bool> CheckAsync(string path, long size, string sha256, ConcurrentBag<VerifyProblem> problems, CancellationToken ct)
    {
        if (_good.TryGetValue(path, out var known) && known == sha256) return true;
        try
        {
            await repo.ReadVerifiedAsync(path, size, sha256, decode: false, (_, _) => Task.CompletedTask, ct);
            _good[path] = sha256;
            return true;
        }
        catch (BackupVerificationException ex)
        {
            problems.Add(new VerifyProblem(ex.File, ex.Problem));
            return false;
        }
    }
}

/// <summary>One file that failed verification and why.</summary>
public sealed record VerifyProblem(string File, string Problem);

/// <summary>The outcome of verifying one point.</summary>
public sealed record VerifyResult(RestorePointId Id, IReadOnlyList<VerifyProblem> Problems, long Objects, long Bytes)
{
    public bool Ok => Problems.Count == 0;
}
