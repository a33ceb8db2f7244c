using NSec.Cryptography;
using Vigil.Ops.Advisories;
using Vigil.Ops.Signing;

namespace Vigil.Advisories.Tool;

/// <summary>Signs a feed payload. Only valid feeds are signed: the payload is parsed with the same
/// rules the server applies, so a maintainer cannot publish a feed that every server refuses.</summary>
public static class FeedSigner
{
    public static SignedEnvelope Sign(byte[] payload, Key key)
    {
        if (!AdvisoryFeedJson.TryParse(payload, out _, out var error)) throw new FormatException(error);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var signature = SignatureAlgorithm.Ed25519.Sign(key, SignedEnvelope.SigningInput(MessageFormats.AdvisoryFeed, payload));
        return new SignedEnvelope(MessageFormats.AdvisoryFeed, KeyId.Of(publicKey), payload, signature);
    }
}
