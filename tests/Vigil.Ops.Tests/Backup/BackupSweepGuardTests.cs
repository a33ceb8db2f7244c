using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Targets;
using Vigil.Ops.Backup.Verify;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Backup;

/// <summary>A backup copies the bodies its snapshot names after taking the snapshot; mail expunged
/// meanwhile releases its bodies, and the store's sweeper must not delete them until the copy is
/// done (docs/storage.md, "Deleted mail"; <see cref="BlobSweepLock"/>).</summary>
public sealed class BackupSweepGuardTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bodies_released_while_a_backup_copies_them_are_deleted_only_after_the_copy(bool guarded)
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(40);
        var guard = BlobSweepLock.For(store.Db);
        var sweeper = new BlobSweeper(store.Db, new InlineBlobStore(store.Blobs, store.Db), new RecentBlobDeletions(), guard, TimeProvider.System);
        var inbox = (await store.Messages.GetMailboxAsync(store.Account.Id, Mailbox.Inbox, default))!;
        BlobSweepRound? during = null;
        // As the first body is copied, every message is expunged and a sweep round runs with no
        // grace period (the worst case: a backup that takes longer than the grace period).
        var progress = new SyncProgress(p =>
        {
            if (p.Phase != "blobs" || during is not null) return;
            store.Messages.ExpungeAsync(store.Account.Id, inbox.Id, Enumerable.Range(1, 40).Select(u => (uint)u).ToList(), default).GetAwaiter().GetResult();
            during = sweeper.SweepAsync(TimeSpan.Zero, 500, default).GetAwaiter().GetResult();
        });
        var source = store.Source() with { SweepGuard = guarded ? guard : null };
        var create = new BackupCreator(source).CreateAsync(new LocalDirectoryTarget(store.Target()), new CreateOptions(false, null, Parallelism: 1), progress, default);

        if (!guarded)
        {
            // What the guard prevents: the bodies go mid-copy and the run fails.
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => create);
            Assert.Contains("no longer in the store", error.Message, StringComparison.Ordinal);
            Assert.Equal(40, during!.Deleted);
            return;
        }
        var point = await create;
        Assert.True(during!.Held);
        Assert.Equal(40, point.Stats.Blobs);
        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        Assert.True((await new BackupVerifier(repo, store.Trust()).VerifyAsync(RestorePointId.Parse(point.Id), null, default)).Ok);
        Assert.Equal(40, (await sweeper.SweepAsync(TimeSpan.Zero, 500, default)).Deleted); // and once the copy is done, they go
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(store.DataDir, "blobs"), "*", SearchOption.AllDirectories), f => !f.Contains("/tmp/", StringComparison.Ordinal));
    }
}
