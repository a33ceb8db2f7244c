using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Audit;
using Vigil.Security.Keys;

namespace Vigil.Security.Audit;

/// <summary>Appends audit events to <c>DATA/audit/</c> as JSON lines, each carrying the SHA-256 of
/// the previous line, so an edit, insertion or deletion breaks the chain. Every
/// <see cref="AuditLogOptions.CheckpointEvery"/> entries, and when the server stops, it writes a
/// checkpoint signed with the instance key, which catches a cut-off tail. Files are only ever
/// appended to; a full file is closed by renaming it and the chain continues in a new one.
/// The CLI and the server may append at the same time: a lock file serialises writers across
/// processes.</summary>
public sealed class JsonlAuditLog : IAuditLog, IAuditCheckpointSource, IDisposable
{
    public static readonly string GenesisHash = new('0', 64);

    private readonly AuditLogOptions _options;
    private readonly InstanceKey? _key;
    private readonly SemaphoreSlim _inProcess = new(1, 1);

    /// <summary>A log without a key writes no checkpoints (tests and tools that only read).</summary>
    public JsonlAuditLog(string directory) : this(new AuditLogOptions(directory), null) { }

    public JsonlAuditLog(AuditLogOptions options, InstanceKey? key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CheckpointEvery, 1);
        _options = options;
        _key = key;
        Files = new AuditFiles(options.Directory);
    }

    public AuditFiles Files { get; }

    /// <summary>The active file (new entries go here).</summary>
    public string FilePath => Files.ActivePath;

    public async Task AppendAsync(AuditEvent entry, CancellationToken ct)
    {
        using var held = await LockAsync(ct);
        var tail = ReadTail();
        RotateIfFull();
        var seq = tail.Seq + 1;
        var line = Format(entry, seq, tail.Hash);
        AppendLine(Files.ActivePath, line);
        if (_key is not null && seq % _options.CheckpointEvery == 0) WriteCheckpoint(_key, seq, HashLine(line));
    }

    /// <summary>Signs a checkpoint over the current tail unless the newest checkpoint already covers
    /// it (called when the server stops). Returns the newest checkpoint.</summary>
    public async Task<AuditCheckpointInfo?> CheckpointAsync(CancellationToken ct)
    {
        if (_key is null) return Latest();
        using var held = await LockAsync(ct);
        var tail = ReadTail();
        var latest = Latest();
        // Never sign a log shorter than the newest checkpoint: that is the truncation verify reports.
        if (tail.Seq == 0 || tail.Seq <= latest?.Seq) return latest;
        return WriteCheckpoint(_key, tail.Seq, tail.Hash);
    }

    public AuditCheckpointInfo? Latest()
    {
        var line = AuditLines.LastLine(Files.CheckpointsPath);
        return line is not null && AuditCheckpoint.TryParse(line, out var cp) ? cp!.ToInfo(line) : null;
    }

    public IReadOnlyList<AuditCheckpointInfo> All() =>
        AuditLines.Read(Files.CheckpointsPath)
            .Where(l => l.Terminated)
            .Select(l => AuditCheckpoint.TryParse(l.Bytes.Span, out var cp) ? cp!.ToInfo(l.Bytes.Span) : null)
            .OfType<AuditCheckpointInfo>()
            .ToList();

    public async Task<long> CountAsync(CancellationToken ct)
    {
        using var held = await LockAsync(ct);
        return ReadTail().Seq;
    }

    /// <summary>The hash that the next entry must carry as <c>prev</c>: SHA-256 of the line bytes.</summary>
    public static string HashLine(ReadOnlySpan<byte> lineWithoutNewline) => Convert.ToHexStringLower(SHA256.HashData(lineWithoutNewline));

    private static byte[] Format(AuditEvent entry, long seq, string prev)
    {
        var node = new JsonObject
        {
            ["seq"] = seq,
            ["time"] = entry.Time.ToUniversalTime().ToString("O"),
            ["actor"] = entry.Actor,
            ["source"] = entry.Source,
            ["action"] = entry.Action,
            ["target"] = entry.Target,
            ["details"] = entry.Details is null ? null : new JsonObject(entry.Details.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["prev"] = prev,
        };
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private AuditCheckpointInfo WriteCheckpoint(InstanceKey key, long seq, string entryHash)
    {
        var prevLine = AuditLines.LastLine(Files.CheckpointsPath);
        var prev = prevLine is null ? GenesisHash : AuditCheckpoint.Hash(prevLine);
        var checkpoint = AuditCheckpoint.Create(seq, entryHash, DateTimeOffset.UtcNow, prev, key);
        var line = Encoding.UTF8.GetBytes(checkpoint.ToJsonLine());
        AppendLine(Files.CheckpointsPath, line);
        return checkpoint.ToInfo(line);
    }

    /// <summary>The sequence number and hash of the newest entry across all segments.</summary>
    private (long Seq, string Hash) ReadTail()
    {
        foreach (var segment in Files.Segments().Reverse())
        {
            var last = AuditLines.LastLine(segment);
            if (last is null) continue;
            return (SeqOf(last) ?? LastReadableSeq(segment), HashLine(last));
        }
        return (0, GenesisHash);
    }

    /// <summary>A damaged last line (someone wrote into the log) does not stop auditing: the next
    /// entry chains to the damaged bytes and continues the numbering, and <c>vigil audit verify</c>
    /// names the damaged line.</summary>
    private static long LastReadableSeq(string segment) =>
        AuditLines.Read(segment).Select(l => SeqOf(l.Bytes.Span)).LastOrDefault(s => s is not null) ?? 0;

    internal static long? SeqOf(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.TryGetProperty("seq", out var seq) && seq.TryGetInt64(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void RotateIfFull()
    {
        var active = new FileInfo(Files.ActivePath);
        if (!active.Exists || active.Length < _options.RotateBytes) return;
        var first = AuditLines.FirstLine(active.FullName);
        var firstSeq = first is null ? null : SeqOf(first);
        if (firstSeq is null) return; // an unreadable head: keep appending, verify will name it
        File.Move(active.FullName, Path.Combine(Files.Directory, AuditFiles.SegmentName(firstSeq.Value)));
    }

    private static void AppendLine(string path, byte[] line)
    {
        using var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var fragment = false;
        if (fs.Length > 0)
        {
            fs.Position = fs.Length - 1;
            fragment = fs.ReadByte() != '\n';
        }
        fs.Position = fs.Length;
        // A fragment left by a crash mid-write must not swallow the new line.
        if (fragment) fs.WriteByte((byte)'\n');
        fs.Write([.. line, (byte)'\n']);
        fs.Flush(flushToDisk: true);
    }

    private async Task<IDisposable> LockAsync(CancellationToken ct)
    {
        await _inProcess.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Files.Directory);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var file = new FileStream(Files.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new Held(file, _inProcess);
                }
                catch (IOException) when (attempt < 500)
                {
                    await Task.Delay(10, ct);
                }
            }
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
    }

    public void Dispose() => _inProcess.Dispose();

    private sealed class Held(FileStream file, SemaphoreSlim inProcess) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            inProcess.Release();
        }
    }
}
