using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Ops.Files;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Advisories;

/// <summary>The feed keys an admin trusts beyond the vendor's (<c>DATA/advisories/trusted-keys.json</c>).
/// Changes are made by <see cref="AdvisoryTrust"/>, which audits them.</summary>
public sealed partial class TrustedKeyStore(AdvisoryPaths paths)
{
    public IReadOnlyList<TrustedKey> Load()
    {
        if (!File.Exists(paths.TrustedKeys)) return [];
        var entries = JsonSerializer.Deserialize(File.ReadAllBytes(paths.TrustedKeys), StoreContext.Default.ListEntry) ?? [];
        return entries
            .Select(e => (Entry: e, Key: Convert.FromBase64String(e.PublicKey)))
            .Where(x => Ed25519.IsValidPublicKey(x.Key))
            .Select(x => new TrustedKey(KeyId.Of(x.Key), x.Key, KeyOrigin.Admin, x.Entry.Comment, x.Entry.AddedAt))
            .ToArray();
    }

    internal void Save(IEnumerable<TrustedKey> keys)
    {
        var entries = keys.Select(k => new Entry(Convert.ToBase64String(k.PublicKey), k.Comment, k.AddedAt ?? DateTimeOffset.UnixEpoch)).ToList();
        AtomicFile.WriteAllBytes(paths.TrustedKeys, JsonSerializer.SerializeToUtf8Bytes(entries, StoreContext.Default.ListEntry));
    }

    /// <summary>Every key whose signature is accepted: the pinned vendor key and the admin's keys.</summary>
    public AdvisoryKeyring Keyring() => new(VendorKey.Pinned is { } vendor ? [vendor, .. Load()] : Load());

    internal sealed record Entry(string PublicKey, string Comment, DateTimeOffset AddedAt);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(List<Entry>))]
    internal sealed partial class StoreContext : JsonSerializerContext;
}

/// <summary>The set of keys a feed signature is checked against.</summary>
public sealed class AdvisoryKeyring(IReadOnlyList<TrustedKey> keys)
{
    public IReadOnlyList<TrustedKey> Keys => keys;

    public TrustedKey? Find(string keyId) => keys.FirstOrDefault(k => k.KeyId == keyId);
}
