using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vigil.Security.Audit;

/// <summary>One entry as read back from the log, with the exact JSON line it came from.</summary>
public sealed record AuditRecord(
    long Seq,
    DateTimeOffset Time,
    string Actor,
    string Source,
    string Action,
    string Target,
    IReadOnlyDictionary<string, string> Details,
    string Json)
{
    /// <summary>Reads every readable entry in chain order; damaged lines are skipped here
    /// (<see cref="AuditVerifier"/> is what reports them).</summary>
    public static IEnumerable<AuditRecord> ReadAll(AuditFiles files)
    {
        foreach (var segment in files.Segments())
        {
            foreach (var line in AuditLines.Read(segment))
            {
                if (line.Terminated && TryParse(line.Bytes.Span, out var record)) yield return record!;
            }
        }
    }

    public static bool TryParse(ReadOnlySpan<byte> line, out AuditRecord? record)
    {
        record = null;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var r = doc.RootElement;
            string Text(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var details = new Dictionary<string, string>(StringComparer.Ordinal);
            if (r.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in d.EnumerateObject()) details[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
            record = new AuditRecord(
                r.GetProperty("seq").GetInt64(),
                DateTimeOffset.Parse(Text("time"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Text("actor"), Text("source"), Text("action"), Text("target"), details,
                Encoding.UTF8.GetString(line));
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
