using Vigil.Core.Events;
using Vigil.Core.Mailboxes;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Restore;
using Vigil.Ops.Backup.Targets;
using Vigil.Ops.Backup.Verify;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Backup;

/// <summary>A backup copies the bodies its snapshot names after taking the snapshot; mail expunged
/// meanwhile releases its bodies, and the store's sweeper must not delete them until the copy is
/// done; a mailbox restore finds a released body still stored and adds the row naming it a moment
/// later (docs/storage.md, "Deleted mail"; <see cref="BlobSweepLock"/>).</summary>
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_mailbox_restore_keeps_the_released_bodies_it_found_until_their_rows_are_in(bool guarded)
    {
        await using var store = await TestStore.CreateAsync();
        var delivered = await store.DeliverAsync(10);
        var point = await new BackupCreator(store.Source()).CreateAsync(new LocalDirectoryTarget(store.Target()), new CreateOptions(false, null), null, default);
        var inbox = (await store.Messages.GetMailboxAsync(store.Account.Id, Mailbox.Inbox, default))!;
        await store.Messages.ExpungeAsync(store.Account.Id, inbox.Id, Enumerable.Range(1, 10).Select(u => (uint)u).ToList(), default); // the user deletes the mail

        var guard = BlobSweepLock.For(store.Db);
        var sweeper = new BlobSweeper(store.Db, new InlineBlobStore(store.Blobs, store.Db), new RecentBlobDeletions(), guard, TimeProvider.System);
        // Each time the restore finds a body still stored, a sweep round runs before the restore
        // goes on to add the row naming it (no grace period: the worst case).
        var rounds = new List<BlobSweepRound>();
        var racing = new SweepAfterExists(store.Blobs, () => rounds.Add(sweeper.SweepAsync(TimeSpan.Zero, 500, default).GetAwaiter().GetResult()));
        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        var restorer = new MailboxRestorer(repo, store.Trust(), store.Snapshots, store.Directory, store.Messages, new MailboxService(store.Messages, new MailboxEvents()),
            racing, _ => { }, Path.Combine(store.DataDir, "backup", "staging"), sweepGuard: guarded ? guard : null);
        var restore = restorer.RestoreAsync(RestorePointId.Parse(point.Id), new MailboxRestoreRequest(store.Account.Address, "INBOX", "Restored"), null, default);
        if (!guarded)
        {
            // What the guard prevents: the body found present is gone before its row is added.
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => restore);
            Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(10, (await restore).Restored);
        var restored = (await store.Messages.GetMailboxAsync(store.Account.Id, "Restored", default))!;
        Assert.All(await store.Messages.ListMessagesAsync(store.Account.Id, restored.Id, default), m => Assert.Equal(delivered[m.BlobId], ReadAll(store.Blobs.OpenRead(m.BlobId)!)));
        Assert.All(rounds, r => Assert.True(r.Held));
        Assert.Equal(10, (await sweeper.SweepAsync(TimeSpan.Zero, 500, default)).Referenced); // named again: kept for good
    }

    private static byte[] ReadAll(Stream s)
    {
        using (s)
        using (var m = new MemoryStream())
        {
            s.CopyTo(m);
            return m.ToArray();
        }
    }

    /// <summary>The store, with a sweep round run right after every <see cref="IBlobStore.Exists"/>.</summary>
    private sealed class SweepAfterExists(IBlobStore inner, Action sweep) : IBlobStore
    {
        public IBlobWriter CreateWriter() => inner.CreateWriter();

        public Stream? OpenRead(BlobId id) => inner.OpenRead(id);

        public bool Exists(BlobId id)
        {
            var exists = inner.Exists(id);
            sweep();
            return exists;
        }

        public long GetSize(BlobId id) => inner.GetSize(id);
    }
}
