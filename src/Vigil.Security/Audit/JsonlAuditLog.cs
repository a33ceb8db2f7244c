using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Audit;

namespace Vigil.Security.Audit;

/// <summary>Appends audit events to <c>DATA/audit/audit.jsonl</c>, one JSON object per line, each
/// carrying the SHA-256 of the previous line, so an edit, insertion or deletion breaks the chain.
/// The CLI and the server may append at the same time: a lock file serialises writers across
/// processes.</summary>
public sealed class JsonlAuditLog(string directory) : IAuditLog
{
    public const string FileName = "audit.jsonl";
    public static readonly string GenesisHash = new('0', 64);

    public string FilePath => Path.Combine(directory, FileName);

    public async Task AppendAsync(AuditEvent entry, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await using var lockFile = await AcquireLockAsync(ct);
        var (seq, prev) = ReadTail();
        var node = new JsonObject
        {
            ["seq"] = seq + 1,
            ["time"] = entry.Time.ToUniversalTime().ToString("O"),
            ["actor"] = entry.Actor,
            ["source"] = entry.Source,
            ["action"] = entry.Action,
            ["target"] = entry.Target,
            ["details"] = entry.Details is null ? null : new JsonObject(entry.Details.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["prev"] = prev,
        };
        var line = Encoding.UTF8.GetBytes(node.ToJsonString() + "\n");
        await using var fs = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        await fs.WriteAsync(line, ct);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>The hash that the next entry must carry as <c>prev</c>: SHA-256 of the line bytes.</summary>
    public static string HashLine(ReadOnlySpan<byte> lineWithoutNewline) => Convert.ToHexStringLower(SHA256.HashData(lineWithoutNewline));

    private (long Seq, string Prev) ReadTail()
    {
        if (!File.Exists(FilePath)) return (0, GenesisHash);
        var bytes = File.ReadAllBytes(FilePath);
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] == (byte)'\n') end--;
        if (end == 0) return (0, GenesisHash);
        var start = Array.LastIndexOf(bytes, (byte)'\n', end - 1) + 1;
        var last = bytes.AsSpan(start, end - start);
        using var doc = JsonDocument.Parse(last.ToArray());
        return (doc.RootElement.GetProperty("seq").GetInt64(), HashLine(last));
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken ct)
    {
        var path = Path.Combine(directory, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 500)
            {
                await Task.Delay(10, ct);
            }
        }
    }
}
