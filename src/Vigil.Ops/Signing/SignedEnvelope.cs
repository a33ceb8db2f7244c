using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Ops.Signing;

/// <summary>A signed message on the wire: the payload bytes exactly as signed (base64), the id of
/// the signing key and the Ed25519 signature over <c>FORMAT "\n" PAYLOAD</c>. The format string
/// names the kind of message and is part of what is signed, so a signature made for one kind (a
/// heartbeat) can never be passed off as another (an action or a feed).</summary>
public sealed partial record SignedEnvelope(string Format, string KeyId, byte[] Payload, byte[] Signature)
{
    public static byte[] SigningInput(string format, ReadOnlySpan<byte> payload)
    {
        var prefix = Encoding.UTF8.GetBytes(format + "\n");
        var input = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(input, 0);
        payload.CopyTo(input.AsSpan(prefix.Length));
        return input;
    }

    /// <summary>True when the envelope is of <paramref name="expectedFormat"/> and signed by
    /// <paramref name="publicKey"/>. The format checked is the caller's, not the envelope's.</summary>
    public bool IsSignedBy(string expectedFormat, ReadOnlySpan<byte> publicKey) =>
        Format == expectedFormat &&
        KeyId == Signing.KeyId.Of(publicKey) &&
        Ed25519.Verify(publicKey, SigningInput(expectedFormat, Payload), Signature);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new Wire(Format, KeyId, Convert.ToBase64String(Payload), Convert.ToBase64String(Signature)), WireContext.Default.Wire);

    public static bool TryParse(ReadOnlySpan<byte> json, out SignedEnvelope envelope, out string error)
    {
        envelope = null!;
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(json, WireContext.Default.Wire);
        }
        catch (JsonException ex)
        {
            error = $"not a signed envelope: {ex.Message}";
            return false;
        }
        if (wire is null || string.IsNullOrEmpty(wire.Format) || !Signing.KeyId.IsWellFormed(wire.KeyId) || wire.Payload is null || wire.Signature is null)
        {
            error = "not a signed envelope: format, keyId, payload and signature are required";
            return false;
        }
        try
        {
            envelope = new SignedEnvelope(wire.Format, wire.KeyId!, Convert.FromBase64String(wire.Payload), Convert.FromBase64String(wire.Signature));
        }
        catch (FormatException)
        {
            error = "not a signed envelope: payload or signature is not base64";
            return false;
        }
        // Only the canonical base64 spelling is accepted, so one payload has exactly one encoding
        // (no unused bits or stray padding that could be varied without changing the bytes).
        if (Convert.ToBase64String(envelope.Payload) != wire.Payload || Convert.ToBase64String(envelope.Signature) != wire.Signature)
        {
            error = "not a signed envelope: payload or signature is not canonical base64";
            return false;
        }
        if (envelope.Signature.Length != Ed25519.SignatureLength)
        {
            error = "not a signed envelope: signature is not 64 bytes";
            return false;
        }
        error = "";
        return true;
    }

    internal sealed record Wire(string Format, string? KeyId, string? Payload, string? Signature);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(Wire))]
    internal sealed partial class WireContext : JsonSerializerContext;
}
