using System.Security.Cryptography;

namespace Vigil.Ops.Signing;

/// <summary>The short name of an Ed25519 public key: the first 16 bytes of its SHA-256, in lower
/// hex. It names trusted feed keys and fleet members (a member's id is its key id), so it is
/// computed by us from the key, never taken from a message.</summary>
public static class KeyId
{
    public const int Length = 32;

    public static string Of(ReadOnlySpan<byte> publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey)[..16]);

    /// <summary>True for exactly 32 lower-case hex digits, the only shape a key id ever has.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: Length } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
