using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Messages;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 16, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(EnrollRequest))]
[JsonSerializable(typeof(EnrollReply))]
[JsonSerializable(typeof(Heartbeat))]
[JsonSerializable(typeof(HeartbeatReply))]
[JsonSerializable(typeof(ActionMessage))]
[JsonSerializable(typeof(List<ActionResult>))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;

/// <summary>Signs and opens fleet messages: payload records to and from signed envelopes.</summary>
public static class FleetJson
{
    public const int MaxMessageBytes = 256 * 1024;

    public static byte[] Serialize<T>(T value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)FleetJsonContext.Default.GetTypeInfo(typeof(T))!);

    /// <summary>Parses a payload that has already been verified; null if it is not valid JSON of the type.</summary>
    public static T? Deserialize<T>(ReadOnlySpan<byte> json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)FleetJsonContext.Default.GetTypeInfo(typeof(T))!);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Signs <paramref name="payload"/> as a message of <paramref name="format"/> with a key
    /// held by <paramref name="sign"/> (the instance key).</summary>
    public static SignedEnvelope Sign<T>(string format, T payload, byte[] publicKey, Func<byte[], byte[]> sign)
    {
        var bytes = Serialize(payload);
        return new SignedEnvelope(format, KeyId.Of(publicKey), bytes, sign(SignedEnvelope.SigningInput(format, bytes)));
    }
}
