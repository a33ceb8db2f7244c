using System.Diagnostics;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Retention;
using Vigil.Ops.Backup.Targets;
using Vigil.Ops.Backup.Verify;

namespace Vigil.Ops.Tests.Backup;

public class PruneAndAppendOnlyTests
{
    private static Task<BackupManifest> CreateAsync(TestStore store, string target) =>
        new BackupCreator(store.Source()).CreateAsync(new LocalDirectoryTarget(target), new CreateOptions(false, null), null, default);

    private static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Where(f => !f.StartsWith('.'));

    [Fact]
    public async Task Prune_removes_old_points_and_only_the_blobs_no_kept_point_references()
    {
        await using var store = await TestStore.CreateAsync();
        var early = await store.DeliverAsync(5);
        await CreateAsync(store, store.Target());
        // Expunge the early mail: the next points no longer reference those blobs.
        var inbox = await store.Messages.GetMailboxAsync(store.Account.Id, "INBOX", default);
        var uids = (await store.Messages.ListMessagesAsync(store.Account.Id, inbox!.Id, default)).Select(m => m.Uid).ToList();
        await store.Messages.ExpungeAsync(store.Account.Id, inbox.Id, uids, default);
        var kept = await store.DeliverAsync(3);
        await CreateAsync(store, store.Target());
        var newest = await CreateAsync(store, store.Target());

        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        var pruner = new TargetPruner(repo, store.Trust());
        // All three points fall in the same hour, day and week: only the newest is kept.
        var dry = await pruner.PruneAsync(new RetentionPolicy(), TimeSpan.Zero, dryRun: true, default);
        Assert.Equal(2, dry.RemovedPoints.Count);
        Assert.Equal(3, (await repo.ListPointsAsync(default)).Count); // a dry run removes nothing

        var result = await pruner.PruneAsync(new RetentionPolicy(), TimeSpan.Zero, dryRun: false, default);
        Assert.Equal(2, result.RemovedPoints.Count);
        var points = await repo.ListPointsAsync(default);
        Assert.Equal(newest.Id, Assert.Single(points).Id.Value);
        var blobs = Files(Path.Combine(store.Target(), "blobs")).Select(Path.GetFileName).ToHashSet();
        Assert.All(early.Keys, b => Assert.DoesNotContain(b.Hex, blobs));
        Assert.All(kept.Keys, b => Assert.Contains(b.Hex, blobs));
        Assert.True((await new BackupVerifier(repo, store.Trust()).VerifyAsync(points[0].Id, null, default)).Ok);
    }

    [Fact]
    public async Task Prune_keeps_fresh_unreferenced_blobs_within_the_grace_period()
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(2);
        await CreateAsync(store, store.Target());
        // An object a create elsewhere has just uploaded but not yet referenced.
        var orphan = new string('a', 64);
        await new LocalDirectoryTarget(store.Target()).WriteNewAsync(TargetPaths.Blob(orphan), (s, c) => s.WriteAsync(new byte[] { 1 }, c).AsTask(), default);
        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        await new TargetPruner(repo, store.Trust()).PruneAsync(new RetentionPolicy(), TimeSpan.FromHours(1), dryRun: false, default);
        Assert.True(File.Exists(Path.Combine(store.Target(), "blobs", "aa", orphan)));
        await new TargetPruner(repo, store.Trust()).PruneAsync(new RetentionPolicy(), TimeSpan.Zero, dryRun: false, default);
        Assert.False(File.Exists(Path.Combine(store.Target(), "blobs", "aa", orphan)));
    }

    /// <summary>The docs' recipe for a target the server can add to but not delete from: every
    /// directory files go into exists beforehand and is append-only (chattr +a). Backups keep
    /// working, incrementally; deleting (prune, or an intruder) fails and removes nothing.</summary>
    [Fact]
    public async Task Backups_work_into_an_append_only_target_that_refuses_every_deletion()
    {
        await using var store = await TestStore.CreateAsync();
        var target = store.Target();
        var dirs = new List<string> { target, Path.Combine(target, "points"), Path.Combine(target, "blobs") };
        dirs.AddRange(Enumerable.Range(0, 256).Select(i => Path.Combine(target, "blobs", i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
        foreach (var d in dirs) Directory.CreateDirectory(d);
        Directory.CreateDirectory(Path.Combine(target, ".incoming")); // temp files: the one place that is not append-only
        await Chattr("+a", dirs);
        try
        {
            await store.DeliverAsync(10);
            await CreateAsync(store, target);
            await store.DeliverAsync(5);
            var second = await CreateAsync(store, target);
            Assert.Equal(5, second.Stats.NewObjects);
            var before = Files(target).ToList();

            var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(target), null, default);
            Assert.True((await new BackupVerifier(repo, store.Trust()).VerifyAsync(RestorePointId.Parse(second.Id), null, default)).Ok);
            await Assert.ThrowsAnyAsync<Exception>(() => new TargetPruner(repo, store.Trust()).PruneAsync(new RetentionPolicy(), TimeSpan.Zero, dryRun: false, default));
            Assert.Throws<UnauthorizedAccessException>(() => File.Delete(Path.Combine(target, before.First(f => f.StartsWith("blobs", StringComparison.Ordinal)))));
            Assert.Equal(before.Order(), Files(target).Order());
        }
        finally
        {
            await Chattr("-a", dirs);
        }
    }

    private static async Task Chattr(string flag, IEnumerable<string> paths)
    {
        var psi = new ProcessStartInfo("chattr") { RedirectStandardError = true };
        psi.ArgumentList.Add(flag);
        foreach (var p in paths) psi.ArgumentList.Add(p);
        using var p2 = Process.Start(psi)!;
        var err = await p2.StandardError.ReadToEndAsync();
        await p2.WaitForExitAsync();
        Assert.True(p2.ExitCode == 0, "chattr (needs root and ext4/xfs/btrfs): " + err);
    }
}
