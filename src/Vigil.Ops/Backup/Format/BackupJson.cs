using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Ops.Backup.Format;

/// <summary>How the target's JSON files are written: camelCase, indented, enums as strings.</summary>
public static class BackupJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{what} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{what} is not valid: {ex.Message}");
        }
    }
}
