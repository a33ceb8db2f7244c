using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Audit;
using Vigil.Security.Keys;

namespace Vigil.Security.Audit;

/// <summary>A signed statement "the log held <see cref="Seq"/> entries and entry <see cref="Seq"/>
/// hashed to <see cref="EntryHash"/>", written to <c>checkpoints.jsonl</c>. Checkpoints chain to each
/// other through <see cref="Prev"/> like entries do. They are what catches a truncated tail: the
/// chain alone cannot tell a log that ends early from one that was cut.</summary>
public sealed record AuditCheckpoint(long Seq, string EntryHash, DateTimeOffset Time, string Prev, byte[] PublicKey, byte[] Signature)
{
    private const string Domain = "vigil-audit-checkpoint/1";

    /// <summary>The bytes that are signed: a fixed text form, so the signature does not depend on how
    /// a JSON serialiser orders or escapes fields.</summary>
    public static byte[] SignedBytes(long seq, string entryHash, DateTimeOffset time, string prev) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Domain}\n{seq}\n{entryHash}\n{FormatTime(time)}\n{prev}\n"));

    public static AuditCheckpoint Create(long seq, string entryHash, DateTimeOffset time, string prev, InstanceKey key)
    {
        var signature = key.Sign(SignedBytes(seq, entryHash, time, prev));
        return new AuditCheckpoint(seq, entryHash, time, prev, key.PublicKey, signature);
    }

    public bool SignatureValid(ReadOnlySpan<byte> trustedPublicKey) =>
        trustedPublicKey.SequenceEqual(PublicKey) && InstanceKey.Verify(PublicKey, SignedBytes(Seq, EntryHash, Time, Prev), Signature);

    public string ToJsonLine() => new JsonObject
    {
        ["seq"] = Seq,
        ["entry"] = EntryHash,
        ["time"] = FormatTime(Time),
        ["prev"] = Prev,
        ["key"] = Convert.ToBase64String(PublicKey),
        ["sig"] = Convert.ToBase64String(Signature),
    }.ToJsonString();

    public static bool TryParse(ReadOnlySpan<byte> line, out AuditCheckpoint? checkpoint)
    {
        checkpoint = null;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var r = doc.RootElement;
            string Text(string name) => r.GetProperty(name).GetString() ?? throw new FormatException(name + " is null");
            checkpoint = new AuditCheckpoint(
                r.GetProperty("seq").GetInt64(),
                Text("entry"),
                DateTimeOffset.Parse(Text("time"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Text("prev"),
                Convert.FromBase64String(Text("key")),
                Convert.FromBase64String(Text("sig")));
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Hash(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(SHA256.HashData(line));

    public AuditCheckpointInfo ToInfo(ReadOnlySpan<byte> line) => new(Seq, EntryHash, Hash(line), Time, Prev);
}
