using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Crypto;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Restore;
using Vigil.Ops.Backup.Targets;
using Vigil.Ops.Backup.Verify;
using Vigil.Security.Keys;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Backup;
using Vigil.Storage.Sqlite.Blobs;

// Backup benchmark (docs/benchmarks.md, "Backups"): seeds an embedded store with N messages, then
// times a full backup, an incremental one after 1 % more mail, a verify of the newest point and a
// whole-server restore, printing time and bytes of each.
//   dotnet run -c Release --project bench/Vigil.Bench.Backup -- [--messages 100000] [--dir DIR]
//       [--compress] [--encrypt] [--parallel 4] [--inline]
// --inline stores bodies up to 32 KB in the database (InlineBlobStore), as the server does since
// small bodies moved into the WAL commit; without it every body is a file, as before.
var messages = Arg("--messages", 100_000);
var parallel = Arg("--parallel", 4);
var compress = args.Contains("--compress");
var encrypt = args.Contains("--encrypt");
var inline = args.Contains("--inline");
var root = ArgText("--dir") ?? Path.Combine(Path.GetTempPath(), "vigil-bench-backup");
if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
Directory.CreateDirectory(root);
var data = Path.Combine(root, "data");
Directory.CreateDirectory(data);
Console.WriteLine($"# {messages:N0} messages, compress={compress}, encrypt={encrypt}, inline={inline}, parallel={parallel}, {Environment.ProcessorCount} CPU(s), load {Load()}");

await using var db = SqliteDatabase.Open(Path.Combine(data, "vigil.db"));
var files = new FileBlobStore(Path.Combine(data, "blobs"));
IBlobStore blobs = inline ? new InlineBlobStore(files, db) : files;
var directory = new SqliteDirectoryStore(db);
var store = new SqliteMessageStore(db);
await directory.AddDomainAsync("bench.test", default);
var accounts = new List<Account>();
for (var i = 0; i < 50; i++) accounts.Add(await directory.AddAccountAsync(new NewAccount($"user{i}", "bench.test", "x", 0, false, DefaultMailbox.Standard), default));

var seed = Stopwatch.StartNew();
var corpus = new Corpus(42);
var seeded = await SeedAsync(messages, 0);
Console.WriteLine($"seeded  {messages:N0} messages, {Mb(seeded)} of mail in {seed.Elapsed.TotalSeconds:0.0} s (setup, not measured)");

InstanceKey.Create(Path.Combine(root, "instance.key"));
using var key = InstanceKey.Load(Path.Combine(root, "instance.key"));
BackupKey? backupKey = null;
if (encrypt)
{
    BackupKey.Create(Path.Combine(root, "backup.key"));
    backupKey = BackupKey.Load(Path.Combine(root, "backup.key"));
}
var source = new BackupSource(new SqliteSnapshotter(db), SqliteSnapshotFiles.Instance, blobs, "vigil.db", () => [], Path.Combine(root, "staging"), key, "bench.test");
var target = Path.Combine(root, "target");
var options = new CreateOptions(compress, backupKey, parallel);

var full = await TimedCreateAsync("full");
var more = await SeedAsync(messages / 100, messages);
Console.WriteLine($"added   {messages / 100:N0} messages, {Mb(more)}");
var incremental = await TimedCreateAsync("incremental");

var repo = await BackupRepository.OpenAsync(new LocalDirectoryTarget(target), backupKey, default);
var trust = new ManifestTrust().Add(key.PublicKey, "bench");
var clock = Stopwatch.StartNew();
var verified = await new BackupVerifier(repo, trust, parallel).VerifyAsync(RestorePointId.Parse(incremental.Id), null, default);
Console.WriteLine($"verify       {clock.Elapsed.TotalSeconds,7:0.0} s  {verified.Objects,9:N0} files  {Mb(verified.Bytes),10} re-hashed  ok={verified.Ok}");

clock.Restart();
var restoreDir = Path.Combine(root, "restored");
var summary = await new ServerRestorer(repo, trust, SqliteSnapshotFiles.Instance, parallel)
    .RestoreAsync(RestorePointId.Parse(incremental.Id), new RestoreLayout(restoreDir, Path.Combine(restoreDir, "vigil.db"), Path.Combine(restoreDir, "blobs")), null, default);
Console.WriteLine($"restore      {clock.Elapsed.TotalSeconds,7:0.0} s  {summary.Blobs,9:N0} blobs  {summary.Messages:N0} messages");

var targetBytes = new DirectoryInfo(target).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
Console.WriteLine($"target  {Mb(targetBytes)} on disk for 2 points; manifest+index of the incremental point: {Mb(PointMetadata(target, incremental.Id))}");
Console.WriteLine($"# remove {root} when done (rm -rf): it holds the store, the target and the restored copy");
return 0;

async Task<BackupManifest> TimedCreateAsync(string label)
{
    var c = Stopwatch.StartNew();
    var phases = new PhaseClock();
    var m = await new BackupCreator(source).CreateAsync(new LocalDirectoryTarget(target), options, phases, default);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-12} {c.Elapsed.TotalSeconds,7:0.0} s  {m.Stats.NewObjects,9:N0} new blobs  {Mb(m.Stats.NewBytes),10} written  (point references {Mb(m.Stats.StoredBytes)}, {m.Stats.Messages:N0} messages)"));
    Console.WriteLine($"             phases: {phases.Summary(c.Elapsed)}");
    return m;
}

// Seeding writes blob files directly (no fsync per blob: this is setup, not a measured path) and
// appends metadata through the store in batches of 1,000.
async Task<long> SeedAsync(int count, int offset)
{
    long bytes = 0;
    var batch = new List<NewMessage>(1000);
    for (var i = 0; i < count; i++)
    {
        var body = corpus.Message(offset + i);
        var id = BlobId.Compute(body);
        if (inline && body.Length <= InlineBlobStore.DefaultInlineLimit)
        {
            // Through the store, as a delivery does: the body is written by the commit of its row.
            await using var writer = blobs.CreateWriter();
            await writer.WriteAsync(body, default);
            id = await writer.CommitAsync(default);
        }
        else
        {
            var path = files.PathOf(id);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path)) await File.WriteAllBytesAsync(path, body);
        }
        bytes += body.Length;
        var account = accounts[(offset + i) % accounts.Count];
        batch.Add(new NewMessage(account.Id, (offset + i) % 10 == 0 ? "Archive" : Mailbox.Inbox, id, body.Length,
            DateTimeOffset.UtcNow.AddMinutes(-(offset + i)), MessageFlags.Seen, [], $"message {offset + i}", null));
        if (batch.Count == 1000)
        {
            await store.AppendAsync(batch, default);
            batch.Clear();
        }
    }
    if (batch.Count > 0) await store.AppendAsync(batch, default);
    return bytes;
}

long PointMetadata(string t, string id) =>
    new DirectoryInfo(Path.Combine(t, "points")).EnumerateFiles(id + ".*").Where(f => f.Name.EndsWith(".json", StringComparison.Ordinal) || f.Name.EndsWith(".idx", StringComparison.Ordinal) || f.Name.EndsWith(".sig", StringComparison.Ordinal)).Sum(f => f.Length);

static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
int Arg(string name, int fallback) => ArgText(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
string? ArgText(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }

/// <summary>Plausible mail: headers, a few paragraphs of word-salad text (compresses like prose), and
/// for one message in eight a base64 attachment of random bytes (does not compress). Average ~7 KB.</summary>
sealed class Corpus(int seed)
{
    private static readonly string[] Words = "the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part".Split(' ');
    private readonly int _seed = seed;

    public byte[] Message(int n)
    {
        var rng = new Random(_seed + n);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Received: from mx{rng.Next(100)}.remote.test by mail.bench.test; {DateTime.UtcNow:R}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"From: sender{rng.Next(5000)}@remote.test\r\nTo: user{n % 50}@bench.test\r\nSubject: {Sentence(rng, 6)}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Message-ID: <{n}.{rng.Next()}@remote.test>\r\nDate: {DateTime.UtcNow:R}\r\nMIME-Version: 1.0\r\n");
        var attachment = n % 8 == 0;
        sb.Append(attachment ? "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" : "Content-Type: text/plain; charset=utf-8\r\n\r\n");
        var paragraphs = 2 + rng.Next(8);
        for (var p = 0; p < paragraphs; p++) sb.Append(Sentence(rng, 40 + rng.Next(80))).Append("\r\n\r\n");
        if (attachment)
        {
            sb.Append("--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            var raw = new byte[8 * 1024 + rng.Next(32 * 1024)];
            rng.NextBytes(raw);
            var b64 = Convert.ToBase64String(raw);
            for (var i = 0; i < b64.Length; i += 76) sb.Append(b64, i, Math.Min(76, b64.Length - i)).Append("\r\n");
            sb.Append("--b--\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Sentence(Random rng, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[rng.Next(Words.Length)]));
}

/// <summary>How long each phase of a create took, from the progress reports.</summary>
sealed class PhaseClock : IProgress<Vigil.Ops.Backup.Progress.BackupProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, TimeSpan Start)> _phases = [];

    public void Report(Vigil.Ops.Backup.Progress.BackupProgress value)
    {
        lock (_phases)
        {
            if (_phases.Count == 0 || _phases[^1].Phase != value.Phase) _phases.Add((value.Phase, _clock.Elapsed));
        }
    }

    public string Summary(TimeSpan end) => string.Join(", ", _phases.Select((p, i) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {((i + 1 < _phases.Count ? _phases[i + 1].Start : end) - p.Start).TotalSeconds:0.0} s")));
}
