using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Indexing;

/// <summary>How a <see cref="MessageSummary"/> is stored (compact JSON, nulls and empty lists
/// omitted), with source-generated serialization so reading 10,000 summaries stays cheap.</summary>
public static class SummaryJson
{
    public static string Serialize(MessageSummary summary) => JsonSerializer.Serialize(summary, SummaryJsonContext.Default.MessageSummary);

    public static MessageSummary Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SummaryJsonContext.Default.MessageSummary) ?? throw new JsonException("Empty message summary.");
}

// MaxDepth: every MIME level is two JSON levels (the part and its list of parts); the default 64
// refused messages nested 31 levels deep. MimeLimits.MaxDepth bounds the nesting.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 4 * Messages.MimeLimits.MaxDepth + 64)]
[JsonSerializable(typeof(MessageSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
