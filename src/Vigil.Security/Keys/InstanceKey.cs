using NSec.Cryptography;

namespace Vigil.Security.Keys;

/// <summary>The instance's Ed25519 identity key (<c>DATA/secrets/instance.key</c>, 0600), created by
/// <c>vigil init</c>. It signs audit checkpoints, backup manifests and fleet heartbeats.</summary>
public sealed class InstanceKey : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private InstanceKey(Key key) => _key = key;

    public byte[] PublicKey => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static void Create(string path)
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        SecretFile.WriteAllText(path, Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey)) + "\n");
    }

    public static InstanceKey Load(string path)
    {
        var raw = Convert.FromBase64String(File.ReadAllText(path).Trim());
        return new InstanceKey(Key.Import(Algorithm, raw, KeyBlobFormat.RawPrivateKey));
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var pk) && pk is not null && Algorithm.Verify(pk, data, signature);

    public void Dispose() => _key.Dispose();
}
