using NSec.Cryptography;
using Vigil.Ops.Signing;
using Vigil.Security;

namespace Vigil.Advisories.Tool;

/// <summary>A feed-signing private key on disk: a comment line and <c>ed25519-private BASE64</c>
/// (the 32-byte RFC 8032 seed), mode 0600.</summary>
public static class PrivateKeyFile
{
    private const string Prefix = "ed25519-private";

    /// <summary>Writes PREFIX.key and PREFIX.pub; refuses to overwrite either.</summary>
    public static (string KeyPath, string PubPath, string KeyId) Generate(string prefix, string comment)
    {
        var keyPath = prefix + ".key";
        var pubPath = prefix + ".pub";
        if (File.Exists(keyPath) || File.Exists(pubPath)) throw new IOException($"{keyPath} or {pubPath} already exists; not overwriting a key");
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        SecretFile.WriteAllText(keyPath, $"# vigil-advisories signing key {KeyId.Of(publicKey)}: keep it offline\n{Prefix} {Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey))}\n");
        File.WriteAllText(pubPath, PublicKeyFile.Format(publicKey, comment));
        return (keyPath, pubPath, KeyId.Of(publicKey));
    }

    public static Key Load(string path)
    {
        var line = File.ReadAllLines(path).Select(l => l.Trim()).SingleOrDefault(l => l.StartsWith(Prefix + " ", StringComparison.Ordinal))
            ?? throw new FormatException($"{path} is not a vigil-advisories private key");
        var raw = Convert.FromBase64String(line[(Prefix.Length + 1)..].Trim());
        return Key.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
    }
}
