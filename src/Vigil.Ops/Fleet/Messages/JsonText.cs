using System.Text.Json;

namespace Vigil.Ops.Fleet.Messages;

/// <summary>Peers' strings end up on an admin's terminal (host names, listener names, details):
/// a message carrying control characters (terminal escapes, line breaks that fake extra output
/// lines) is refused as a whole.</summary>
public static class JsonText
{
    public static bool HasControlCharacters(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.GetString()!.Any(char.IsControl)) return true;
            }
        }
        catch (JsonException)
        {
            return true;
        }
        return false;
    }
}
