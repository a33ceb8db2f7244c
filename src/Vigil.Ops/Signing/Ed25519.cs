using NSec.Cryptography;

namespace Vigil.Ops.Signing;

/// <summary>Verification of Ed25519 signatures (RFC 8032). The server only verifies: the code that
/// signs advisory feeds lives in the maintainers' tool, and fleet messages are signed by
/// <see cref="Vigil.Security.Keys.InstanceKey"/>.</summary>
public static class Ed25519
{
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == PublicKeyLength &&
        PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out _);

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && Vigil.Security.Keys.InstanceKey.Verify(publicKey, data, signature);
}
