using System.Globalization;
using System.Security.Cryptography;
using NSec.Cryptography;
using Vigil.Core.Model;

namespace Vigil.Security.Dkim;

/// <summary>Creates the two DKIM keys every hosted domain gets: RSA-2048 (what every verifier
/// understands, RFC 8301 minimum 1024, 2048 recommended) and Ed25519 (RFC 8463, short and fast).
/// Signing with both lets a verifier use whichever it knows.</summary>
public static class DkimKeyGenerator
{
    public static GeneratedDkimKey Create(DkimAlgorithm algorithm, DateTimeOffset now)
    {
        var selector = Selector(algorithm, now);
        switch (algorithm)
        {
            case DkimAlgorithm.Rsa:
                using (var rsa = RSA.Create(2048))
                {
                    return new GeneratedDkimKey(selector, algorithm, rsa.ExportPkcs8PrivateKeyPem(), Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
                }
            case DkimAlgorithm.Ed25519:
                using (var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }))
                {
                    var pem = System.Text.Encoding.ASCII.GetString(key.Export(KeyBlobFormat.PkixPrivateKeyText));
                    // RFC 8463 §4.2: p= is the bare 32-byte public key, not a SubjectPublicKeyInfo.
                    return new GeneratedDkimKey(selector, algorithm, pem, Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    /// <summary>"rsa202611" / "ed202611": the algorithm and the month, so a rotated key gets a new
    /// selector and the old record can stay published until mail signed with it has been read.</summary>
    public static string Selector(DkimAlgorithm algorithm, DateTimeOffset now) =>
        (algorithm == DkimAlgorithm.Rsa ? "rsa" : "ed") + now.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);
}

/// <summary>A freshly generated key, ready for <see cref="Core.Storage.IDkimKeyStore.AddAsync"/>.</summary>
public sealed record GeneratedDkimKey(string Selector, DkimAlgorithm Algorithm, string PrivateKeyPem, string PublicKey);

/// <summary>Gives a domain the keys it lacks (one RSA, one Ed25519); existing keys are kept.</summary>
public static class DkimKeyProvisioner
{
    public static async Task<IReadOnlyList<GeneratedDkimKey>> EnsureKeysAsync(Core.Storage.IDkimKeyStore store, string domain, DateTimeOffset now, CancellationToken ct)
    {
        var existing = (await store.ListAsync(domain, ct)).Select(k => k.Algorithm).ToHashSet();
        var created = new List<GeneratedDkimKey>();
        foreach (var algorithm in new[] { DkimAlgorithm.Rsa, DkimAlgorithm.Ed25519 }.Where(a => !existing.Contains(a)))
        {
            var key = DkimKeyGenerator.Create(algorithm, now);
            await store.AddAsync(domain, key.Selector, key.Algorithm, key.PrivateKeyPem, key.PublicKey, ct);
            created.Add(key);
        }
        return created;
    }
}
