using Vigil.Core.Addressing;
using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Mailboxes;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Progress;
using Vigil.Ops.Backup.Verify;

namespace Vigil.Ops.Backup.Restore;

/// <summary>Which mail to restore: one account's, all its mailboxes or one, into a folder of the
/// live account (with all mailboxes, each becomes a subfolder <c>FOLDER/NAME</c>).</summary>
public sealed record MailboxRestoreRequest(string Address, string? Mailbox, string IntoFolder);

/// <summary>What a mailbox restore did: the folders it filled, messages added, and messages
/// skipped because an earlier (interrupted) run had already put them there.</summary>
public sealed record MailboxRestoreResult(IReadOnlyList<string> Folders, long Restored, long AlreadyThere);

/// <summary>Restores one account's mail from a restore point into folders of the running server,
/// next to the live mail and touching nothing else: live mailboxes, flags and messages stay as
/// they are; only the target folders gain messages (with their original flags, keywords and
/// internal dates). The whole point is verified first, so nothing changes unless it verifies.
/// Each appended batch is announced through <paramref name="publish"/> so IMAP sessions (IDLE)
/// see the new messages. Running it again after an interruption adds only what is missing: a
/// message already in the folder (same blob, same internal date) is not added twice. Restored
/// mail counts toward the account's quota but is not refused by it (an admin's restore). While it
/// adds messages it holds <paramref name="sweepGuard"/>: a body found still in the store (released
/// by an earlier expunge) must not be deleted before the restored row naming it commits.</summary>
public sealed class MailboxRestorer(
    BackupRepository repo,
    ManifestTrust trust,
    ISnapshotFiles snapshots,
    IDirectoryStore directory,
    IMessageStore messages,
    MailboxService mailboxes,
    IBlobStore blobs,
    Action<MailboxChange> publish,
    string stagingDirectory,
    int parallelism = 4,
    IBlobSweepGuard? sweepGuard = null)
{
    private const int Batch = 200;

    public async Task<MailboxRestoreResult> RestoreAsync(RestorePointId id, MailboxRestoreRequest request, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        if (!EmailAddress.TryParse(request.Address, out var address)) throw new InvalidOperationException($"'{request.Address}' is not an e-mail address.");
        var into = MailboxNames.Normalise(request.IntoFolder.TrimEnd(MailboxNames.Delimiter));
        if (!MailboxNames.IsValid(into)) throw new InvalidOperationException($"'{request.IntoFolder}' is not a valid folder name.");
        if (MailboxNames.IsInbox(into)) throw new InvalidOperationException("Restore into a folder of its own (e.g. 'Restored'), not INBOX, so restored mail stays apart from live mail.");
        var live = await directory.GetAccountAsync(address.LocalPart, address.Domain, ct)
            ?? throw new InvalidOperationException($"{address} has no account on this server; create it first.");

        var verification = await new BackupVerifier(repo, trust, parallelism).VerifyAsync(id, progress, ct);
        if (!verification.Ok) throw new BackupVerificationException(verification.Problems[0].File, verification.Problems[0].Problem);
        var manifest = await repo.ReadManifestAsync(id, trust, ct);
        var index = await repo.ReadBlobIndexAsync(manifest, ct);
        var database = manifest.Files.SingleOrDefault(f => f.Role == DataFileRole.Database)
            ?? throw new BackupVerificationException(TargetPaths.Manifest(id), "lists no database");

        var staging = Path.Combine(stagingDirectory, "restore-" + Guid.NewGuid().ToString("N"));
        PrivateDirectory.Create(staging);
        try
        {
            var dbFile = Path.Combine(staging, "snapshot.db");
            await repo.ReadVerifiedAsync(database.Object, database.Size, database.Sha256, decode: true, async (content, c) =>
            {
                await using var output = File.Create(dbFile);
                await content.CopyToAsync(output, c);
            }, ct);
            await using var snapshot = await snapshots.OpenAsync(dbFile, ct);
            var old = await snapshot.Directory.GetAccountAsync(address.LocalPart, address.Domain, ct)
                ?? throw new InvalidOperationException($"{address} is not in restore point {id}.");
            IReadOnlyList<Mailbox> sources = request.Mailbox is { } name
                ? [await snapshot.Messages.GetMailboxAsync(old.Id, MailboxNames.Normalise(name), ct) ?? throw new InvalidOperationException($"{address} had no mailbox '{name}' at point {id}.")]
                : await snapshot.Messages.ListMailboxesAsync(old.Id, ct);

            var plan = new List<(Mailbox Source, string Destination, IReadOnlyList<StoredMessage> Messages)>();
            foreach (var source in sources)
            {
                var destination = request.Mailbox is null ? $"{into}{MailboxNames.Delimiter}{source.Name}" : into;
                plan.Add((source, destination, await snapshot.Messages.ListMessagesAsync(old.Id, source.Id, ct)));
            }
            using var hold = sweepGuard is null ? null : await sweepGuard.HoldAsync(ct);
            var counter = new ProgressCounter(progress, "restore", plan.Sum(p => p.Messages.Count), plan.Sum(p => p.Messages.Sum(m => m.Size)));
            counter.Start();
            long restored = 0, alreadyThere = 0;
            foreach (var (_, destination, list) in plan)
            {
                var box = await EnsureFolderAsync(live.Id, destination, ct);
                var present = (await messages.ListMessagesAsync(live.Id, box.Id, ct)).CountBy(m => (m.BlobId, m.InternalDate)).ToDictionary();
                var batch = new List<NewMessage>(Batch);
                foreach (var m in list)
                {
                    ct.ThrowIfCancellationRequested();
                    if (present.TryGetValue((m.BlobId, m.InternalDate), out var n) && n > 0)
                    {
                        present[(m.BlobId, m.InternalDate)] = n - 1;
                        alreadyThere++;
                        counter.Add(1, m.Size);
                        continue;
                    }
                    await EnsureBlobAsync(m.BlobId, index, ct);
                    var summary = BlobIndexer.Summarize(blobs, m.BlobId);
                    batch.Add(new NewMessage(live.Id, destination, m.BlobId, m.Size, m.InternalDate, m.Flags, m.Keywords, m.Subject, null, summary));
                    if (batch.Count == Batch) restored += await AppendAsync(batch, counter, ct);
                }
                restored += await AppendAsync(batch, counter, ct);
            }
            return new MailboxRestoreResult(plan.Select(p => p.Destination).ToList(), restored, alreadyThere);
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); }
            catch (IOException) { }
        }
    }

    private async Task<Mailbox> EnsureFolderAsync(long accountId, string name, CancellationToken ct)
    {
        var outcome = await mailboxes.CreateAsync(accountId, name, null, ct);
        if (outcome is not (MailboxOutcome.Ok or MailboxOutcome.AlreadyExists)) throw new InvalidOperationException($"Cannot create folder '{name}': {outcome}.");
        return await messages.GetMailboxAsync(accountId, name, ct) ?? throw new InvalidOperationException($"Folder '{name}' vanished.");
    }

    /// <summary>Puts a blob back into the live store (durably, through the ordinary writer) unless
    /// it is still there: blobs are immutable, so an existing one is the same bytes.</summary>
    private async Task EnsureBlobAsync(BlobId blob, Dictionary<string, BlobEntry> index, CancellationToken ct)
    {
        if (blobs.Exists(blob)) return;
        var name = repo.Codec.ObjectNameOf(blob);
        var entry = index.GetValueOrDefault(name) ?? throw new BackupVerificationException("blobs.idx", $"lacks blob {blob}, which the database references");
        var path = TargetPaths.Blob(name);
        BlobId committed = default;
        await repo.ReadVerifiedAsync(path, entry.Size, entry.Sha256, decode: true, async (content, c) =>
        {
            await using var writer = blobs.CreateWriter();
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await content.ReadAsync(buffer, c)) > 0) await writer.WriteAsync(buffer.AsMemory(0, n), c);
            committed = await writer.CommitAsync(c);
        }, ct);
        if (committed != blob) throw new BackupVerificationException(path, $"decodes to content that does not hash to blob {blob}");
    }

    private async Task<long> AppendAsync(List<NewMessage> batch, ProgressCounter counter, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        var appended = await messages.AppendAsync(batch, ct);
        foreach (var group in appended.GroupBy(a => (a.AccountId, a.MailboxId)))
        {
            publish(new MailboxChange(group.Key.AccountId, group.Key.MailboxId, MailboxChangeKind.Appended, group.Select(a => a.Uid).ToList(), group.Max(a => a.ModSeq)));
        }
        counter.Add(batch.Count, batch.Sum(m => m.Size));
        var n = batch.Count;
        batch.Clear();
        return n;
    }
}
