using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Indexing;

/// <summary>How a <see cref="MessageSummary"/> is stored (compact JSON, nulls and empty lists
/// omitted), written with source-generated serialization and read by a hand-written
/// reader, so reading 100,000 summaries stays cheap.</summary>
public static class SummaryJson
{
    public static string Serialize(MessageSummary summary) => JsonSerializer.Serialize(summary, SummaryJsonContext.Default.MessageSummary);

    public static MessageSummary Deserialize(string json) => Deserialize(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>Reads the stored UTF-8 bytes directly (see <see cref="SummaryJsonReader"/>).</summary>
    public static MessageSummary Deserialize(ReadOnlySpan<byte> utf8) => SummaryJsonReader.Read(utf8);
}

// MaxDepth: every MIME level is two JSON levels (the part and its list of parts); the default 64
// refused messages nested 31 levels deep. MimeLimits.MaxDepth bounds the nesting.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 4 * Messages.MimeLimits.MaxDepth + 64)]
[JsonSerializable(typeof(MessageSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
