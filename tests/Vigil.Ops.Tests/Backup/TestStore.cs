using System.Text;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Format;
using Vigil.Security.Keys;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Backup;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Backup;

/// <summary>A real embedded store (SQLite + blob files) in a temp directory, with an account and
/// helpers to add messages, plus a backup source over it.</summary>
public sealed class TestStore : IAsyncDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "vigil-backup-test-" + Guid.NewGuid().ToString("N"));
    public string DataDir => Path.Combine(Root, "data");
    public SqliteDatabase Db { get; }
    public FileBlobStore Blobs { get; }
    public SqliteDirectoryStore Directory { get; }
    public SqliteMessageStore Messages { get; }
    public SqliteSnapshotter Snapshotter { get; }
    public SqliteSnapshotFiles Snapshots => SqliteSnapshotFiles.Instance;
    public InstanceKey Key { get; }
    public Account Account { get; private set; } = null!;

    private TestStore()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(DataDir, "secrets"));
        Db = SqliteDatabase.Open(Path.Combine(DataDir, "vigil.db"));
        Blobs = new FileBlobStore(Path.Combine(DataDir, "blobs"));
        Directory = new SqliteDirectoryStore(Db);
        Messages = new SqliteMessageStore(Db);
        Snapshotter = new SqliteSnapshotter(Db);
        InstanceKey.Create(Path.Combine(DataDir, "secrets", "instance.key"));
        Key = InstanceKey.Load(Path.Combine(DataDir, "secrets", "instance.key"));
        File.WriteAllText(Path.Combine(DataDir, "vigil.json"), "{\"hostname\":\"test\"}\n");
    }

    public static async Task<TestStore> CreateAsync(string address = "alice@example.org")
    {
        var store = new TestStore();
        var at = address.IndexOf('@');
        if (await store.Directory.GetDomainAsync(address[(at + 1)..], default) is null) await store.Directory.AddDomainAsync(address[(at + 1)..], default);
        store.Account = await store.AddAccountAsync(address);
        return store;
    }

    public async Task<Account> AddAccountAsync(string address)
    {
        var at = address.IndexOf('@');
        if (await Directory.GetDomainAsync(address[(at + 1)..], default) is null) await Directory.AddDomainAsync(address[(at + 1)..], default);
        return await Directory.AddAccountAsync(new NewAccount(address[..at], address[(at + 1)..], "x", 0, false, DefaultMailbox.Standard), default);
    }

    public string Target(string name = "target") => Path.Combine(Root, name);

    public async Task<BlobId> PutBlobAsync(byte[] content)
    {
        await using var w = Blobs.CreateWriter();
        await w.WriteAsync(content, default);
        return await w.CommitAsync(default);
    }

    /// <summary>Delivers <paramref name="count"/> distinct messages; returns their bytes by blob id.</summary>
    public async Task<Dictionary<BlobId, byte[]>> DeliverAsync(int count, string mailbox = "INBOX", Account? to = null, MessageFlags flags = MessageFlags.None, int size = 300)
    {
        var result = new Dictionary<BlobId, byte[]>();
        var account = to ?? Account;
        var batch = new List<NewMessage>();
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.ASCII.GetBytes($"Subject: test {Guid.NewGuid()}\r\n\r\n" + new string('x', size) + "\r\n");
            var id = await PutBlobAsync(body);
            result[id] = body;
            batch.Add(new NewMessage(account.Id, mailbox, id, body.Length, DateTimeOffset.UtcNow, flags, flags.HasFlag(MessageFlags.Flagged) ? ["$Important"] : [], "test", null));
        }
        await Messages.AppendAsync(batch, default);
        return result;
    }

    public BackupSource Source() => new(Snapshotter, Snapshots, Blobs, "vigil.db", () =>
        [
            new DataFileSource(DataFileRole.Config, "vigil.json", Path.Combine(DataDir, "vigil.json")),
            new DataFileSource(DataFileRole.Secret, "secrets/instance.key", Path.Combine(DataDir, "secrets", "instance.key")),
        ],
        Path.Combine(DataDir, "backup", "staging"), Key, "test.example");

    public ManifestTrust Trust() => new ManifestTrust().Add(Key.PublicKey, "test instance");

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        Key.Dispose();
        MakeWritable(Root);
        try { System.IO.Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private static void MakeWritable(string root)
    {
        if (!System.IO.Directory.Exists(root)) return;
        foreach (var f in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
