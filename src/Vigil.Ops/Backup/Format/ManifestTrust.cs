using Vigil.Security.Keys;

namespace Vigil.Ops.Backup.Format;

/// <summary>The public keys whose signatures make a manifest trusted, each with where it came from
/// (this instance's key, a key the admin pinned, the key recorded when the target was created).
/// A manifest is accepted only if it verifies under its own signer key and that key is one of these.</summary>
public sealed class ManifestTrust
{
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Keys => _keys;

    public ManifestTrust Add(string publicKeyBase64, string source)
    {
        var raw = Convert.FromBase64String(publicKeyBase64);
        if (raw.Length != 32) throw new FormatException("An Ed25519 public key is 32 bytes.");
        _keys.TryAdd(Convert.ToBase64String(raw), source);
        return this;
    }

    public ManifestTrust Add(byte[] publicKey, string source) => Add(Convert.ToBase64String(publicKey), source);

    /// <summary>Checks <paramref name="signature"/> (base64 text) over <paramref name="manifest"/>;
    /// returns null when good, otherwise what is wrong.</summary>
    public string? Check(byte[] manifest, string signerPublicKey, string signature)
    {
        if (!_keys.ContainsKey(signerPublicKey)) return $"signed by a key that is not trusted ({Fingerprint(signerPublicKey)})";
        byte[] sig, key;
        try
        {
            sig = Convert.FromBase64String(signature.Trim());
            key = Convert.FromBase64String(signerPublicKey);
        }
        catch (FormatException)
        {
            return "signature is not base64";
        }
        return InstanceKey.Verify(key, manifest, sig) ? null : "signature does not match the manifest (it was changed after signing)";
    }

    /// <summary>A short, stable name for a key in messages: the first 16 hex digits of its SHA-256.</summary>
    public static string Fingerprint(string publicKeyBase64)
    {
        try
        {
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(publicKeyBase64)))[..16];
        }
        catch (FormatException)
        {
            return "invalid key";
        }
    }
}
