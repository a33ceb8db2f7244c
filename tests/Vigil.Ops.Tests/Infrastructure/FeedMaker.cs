using NSec.Cryptography;
using Vigil.Advisories.Tool;
using Vigil.Ops.Advisories;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Tests.Infrastructure;

/// <summary>Makes feed keys and signed feeds with the maintainers' tool code.</summary>
public sealed class FeedMaker : IDisposable
{
    public static readonly DateTimeOffset Published = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public byte[] PublicKey => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    public string KeyId => Signing.KeyId.Of(PublicKey);
    public string PublicKeyFileText => PublicKeyFile.Format(PublicKey, "test feed key");
    public TrustedKey Trusted => new(KeyId, PublicKey, KeyOrigin.Admin, "test", null);

    public static Advisory Advisory(string id, AdvisorySeverity severity, int from, int to, int? fixedIn = null) =>
        new(id, severity, from, to, fixedIn ?? to + 1, $"{id} summary", Published);

    public byte[] Sign(long serial, params Advisory[] advisories) =>
        FeedSigner.Sign(AdvisoryFeedJson.Write(new AdvisoryFeed(serial, Published, advisories)), _key).ToJson();

    public void Dispose() => _key.Dispose();
}
