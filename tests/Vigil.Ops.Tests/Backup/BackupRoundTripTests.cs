using System.Text;
using Vigil.Core.Model;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Crypto;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Restore;
using Vigil.Ops.Backup.Targets;
using Vigil.Ops.Backup.Verify;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Backup;

public class BackupRoundTripTests
{
    private static RestoreLayout LayoutFor(string dir) => new(dir, Path.Combine(dir, "vigil.db"), Path.Combine(dir, "blobs"));

    private static async Task<BackupManifest> CreateAsync(TestStore store, string target, BackupKey? key = null, bool compress = false) =>
        await new BackupCreator(store.Source()).CreateAsync(new LocalDirectoryTarget(target), new CreateOptions(compress, key), null, default);

    private static async Task<RestoreSummary> RestoreAsync(TestStore store, string target, string id, string newDir, BackupKey? key = null)
    {
        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(target), key, default);
        return await new ServerRestorer(repo, store.Trust(), store.Snapshots).RestoreAsync(RestorePointId.Parse(id), LayoutFor(newDir), null, default);
    }

    /// <summary>Every message of every mailbox of the restored directory, as (mailbox, flags, bytes).</summary>
    private static async Task<List<(string Mailbox, MessageFlags Flags, byte[] Body)>> ReadAllAsync(string dataDir, string address)
    {
        await using var db = SqliteDatabase.Open(Path.Combine(dataDir, "vigil.db"));
        var directory = new SqliteDirectoryStore(db);
        var messages = new SqliteMessageStore(db);
        var blobs = new FileBlobStore(Path.Combine(dataDir, "blobs"));
        var at = address.IndexOf('@');
        var account = await directory.GetAccountAsync(address[..at], address[(at + 1)..], default) ?? throw new InvalidOperationException("no account");
        var result = new List<(string, MessageFlags, byte[])>();
        foreach (var mb in await messages.ListMailboxesAsync(account.Id, default))
        {
            foreach (var m in await messages.ListMessagesAsync(account.Id, mb.Id, default))
            {
                await using var s = blobs.OpenRead(m.BlobId) ?? throw new InvalidOperationException($"blob {m.BlobId} missing");
                using var buffer = new MemoryStream();
                await s.CopyToAsync(buffer);
                result.Add((mb.Name, m.Flags, buffer.ToArray()));
            }
        }
        return result;
    }

    [Fact]
    public async Task Two_points_restore_exactly_their_own_state_and_the_second_copies_only_new_blobs()
    {
        await using var store = await TestStore.CreateAsync();
        var first = await store.DeliverAsync(20);
        var flagged = await store.DeliverAsync(5, "Archive", flags: MessageFlags.Seen | MessageFlags.Flagged);
        var p1 = await CreateAsync(store, store.Target());
        Assert.Equal(25, p1.Stats.Messages);
        Assert.Equal(25, p1.Stats.NewObjects);

        var later = await store.DeliverAsync(7);
        var p2 = await CreateAsync(store, store.Target());
        Assert.Equal(32, p2.Stats.Messages);
        Assert.Equal(7, p2.Stats.NewObjects); // incremental: only the 7 new blobs were copied
        Assert.Equal(p1.Id, p2.Previous);

        await RestoreAsync(store, store.Target(), p1.Id, Path.Combine(store.Root, "r1"));
        var r1 = await ReadAllAsync(Path.Combine(store.Root, "r1"), "alice@example.org");
        Assert.Equal(25, r1.Count);
        Assert.Equal(first.Values.Concat(flagged.Values).Select(Convert.ToHexString).Order(), r1.Select(m => Convert.ToHexString(m.Body)).Order());
        Assert.All(r1.Where(m => m.Mailbox == "Archive"), m => Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, m.Flags));
        Assert.Equal(5, r1.Count(m => m.Mailbox == "Archive"));

        await RestoreAsync(store, store.Target(), p2.Id, Path.Combine(store.Root, "r2"));
        var r2 = await ReadAllAsync(Path.Combine(store.Root, "r2"), "alice@example.org");
        Assert.Equal(32, r2.Count);
        Assert.Equal(first.Values.Concat(flagged.Values).Concat(later.Values).Select(Convert.ToHexString).Order(), r2.Select(m => Convert.ToHexString(m.Body)).Order());
        Assert.Equal(File.ReadAllText(Path.Combine(store.DataDir, "vigil.json")), File.ReadAllText(Path.Combine(store.Root, "r2", "vigil.json")));
        Assert.False(File.Exists(Path.Combine(store.Root, "r2", "secrets", "instance.key"))); // never in a clear target
        Assert.False(File.Exists(Path.Combine(store.Root, "r2", ServerRestorer.MarkerFile)));
    }

    [Fact]
    public async Task An_encrypted_compressed_target_reveals_no_content_and_restores_with_the_key()
    {
        await using var store = await TestStore.CreateAsync();
        var marker = "MARKER-" + Guid.NewGuid().ToString("N");
        var body = Encoding.ASCII.GetBytes($"Subject: {marker}\r\n\r\n{marker} secret body {new string('y', 5000)}\r\n");
        var blob = await store.PutBlobAsync(body);
        await store.Messages.AppendAsync([new Vigil.Core.Storage.NewMessage(store.Account.Id, "INBOX", blob, body.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], marker, null)], default);
        var keyFile = Path.Combine(store.Root, "backup.key");
        BackupKey.Create(keyFile);
        var key = BackupKey.Load(keyFile);

        var point = await CreateAsync(store, store.Target(), key, compress: true);
        Assert.True(point.Encrypted);
        Assert.Contains(point.Files, f => f.Role == DataFileRole.Secret); // secrets only travel encrypted

        foreach (var file in Directory.EnumerateFiles(store.Target(), "*", SearchOption.AllDirectories))
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain(marker, text);
            Assert.DoesNotContain(blob.Hex, text); // object names are HMACs, not the content hash
            Assert.DoesNotContain("alice", text);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default));
        var otherKeyFile = Path.Combine(store.Root, "other.key");
        BackupKey.Create(otherKeyFile);
        await Assert.ThrowsAsync<InvalidOperationException>(() => BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), BackupKey.Load(otherKeyFile), default));

        var summary = await RestoreAsync(store, store.Target(), point.Id, Path.Combine(store.Root, "r"), key);
        Assert.True(summary.HadSecrets);
        var restored = await ReadAllAsync(Path.Combine(store.Root, "r"), "alice@example.org");
        Assert.Equal(body, Assert.Single(restored).Body);
        Assert.Equal(File.ReadAllBytes(Path.Combine(store.DataDir, "secrets", "instance.key")), File.ReadAllBytes(Path.Combine(store.Root, "r", "secrets", "instance.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store.Root, "r", "secrets", "instance.key")));
    }

    [Fact]
    public async Task A_corrupt_blob_is_named_by_verify_and_restore_refuses_leaving_nothing()
    {
        await using var store = await TestStore.CreateAsync();
        var messages = await store.DeliverAsync(10);
        var point = await CreateAsync(store, store.Target());
        var victim = messages.Keys.OrderBy(k => k.Hex, StringComparer.Ordinal).First();
        var path = Path.Combine(store.Target(), "blobs", victim.Hex[..2], victim.Hex);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x20;
        File.WriteAllBytes(path, bytes);

        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        var result = await new BackupVerifier(repo, store.Trust()).VerifyAsync(RestorePointId.Parse(point.Id), null, default);
        var problem = Assert.Single(result.Problems);
        Assert.Equal($"blobs/{victim.Hex[..2]}/{victim.Hex}", problem.File);
        Assert.Contains("SHA-256", problem.Problem);

        var newDir = Path.Combine(store.Root, "r");
        var ex = await Assert.ThrowsAsync<BackupVerificationException>(() => RestoreAsync(store, store.Target(), point.Id, newDir));
        Assert.Equal(problem.File, ex.File);
        Assert.False(Directory.Exists(newDir));
    }

    [Fact]
    public async Task A_flipped_byte_in_the_manifest_is_caught_by_its_signature()
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(3);
        var point = await CreateAsync(store, store.Target());
        var manifest = Path.Combine(store.Target(), "points", point.Id + ".manifest.json");
        File.SetUnixFileMode(manifest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(manifest);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("\"messages\": 3", StringComparison.Ordinal) + "\"messages\": ".Length;
        bytes[at] = (byte)'4'; // still valid JSON, now claiming 4 messages
        File.WriteAllBytes(manifest, bytes);

        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        var result = await new BackupVerifier(repo, store.Trust()).VerifyAsync(RestorePointId.Parse(point.Id), null, default);
        var problem = Assert.Single(result.Problems);
        Assert.Equal($"points/{point.Id}.manifest.json", problem.File);
        Assert.Contains("signature does not match", problem.Problem);
        await Assert.ThrowsAsync<BackupVerificationException>(() => RestoreAsync(store, store.Target(), point.Id, Path.Combine(store.Root, "r")));
    }

    [Fact]
    public async Task A_manifest_signed_by_an_untrusted_key_is_refused()
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(1);
        var point = await CreateAsync(store, store.Target());
        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        var stranger = new ManifestTrust().Add(new byte[32].Select((_, i) => (byte)i).ToArray(), "someone else");
        var result = await new BackupVerifier(repo, stranger).VerifyAsync(RestorePointId.Parse(point.Id), null, default);
        Assert.Contains("not trusted", Assert.Single(result.Problems).Problem);
    }

    [Fact]
    public async Task Creating_points_never_changes_an_existing_file_and_every_file_is_read_only()
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(5);
        await CreateAsync(store, store.Target());
        var before = Snapshot(store.Target());
        await store.DeliverAsync(5);
        await CreateAsync(store, store.Target());
        var after = Snapshot(store.Target());
        foreach (var (file, hash) in before) Assert.Equal(hash, after[file]);
        Assert.True(after.Count > before.Count);
        foreach (var file in after.Keys)
        {
            var mode = File.GetUnixFileMode(Path.Combine(store.Target(), file));
            Assert.False(mode.HasFlag(UnixFileMode.UserWrite), file);
        }
    }

    [Fact]
    public async Task Restore_never_writes_into_a_directory_that_is_not_empty()
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(1);
        var point = await CreateAsync(store, store.Target());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RestoreAsync(store, store.Target(), point.Id, store.DataDir));
        Assert.Contains("not empty", ex.Message);
        Assert.True(File.Exists(Path.Combine(store.DataDir, "vigil.db")));
    }

    [Fact]
    public async Task An_interrupted_backup_resumes_copying_only_what_is_missing()
    {
        await using var store = await TestStore.CreateAsync();
        await store.DeliverAsync(40);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Phase == "blobs" && p.Done >= 10) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new BackupCreator(store.Source()).CreateAsync(new LocalDirectoryTarget(store.Target()), new CreateOptions(false, null, Parallelism: 1), progress, cts.Token));
        var copied = Directory.EnumerateFiles(Path.Combine(store.Target(), "blobs"), "*", SearchOption.AllDirectories).Count();
        Assert.InRange(copied, 10, 39);

        var point = await CreateAsync(store, store.Target());
        Assert.Equal(40 - copied, point.Stats.NewObjects);
        Assert.Equal(40, point.Stats.Blobs);
        var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(store.Target()), null, default);
        var points = await repo.ListPointsAsync(default);
        Assert.True(Assert.Single(points).IsComplete); // the interrupted run wrote no point files, only blobs
        Assert.True((await new BackupVerifier(repo, store.Trust()).VerifyAsync(RestorePointId.Parse(point.Id), null, default)).Ok);
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
