using System.Security.Cryptography;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Advisories;

/// <summary>Why a feed was not trusted.</summary>
public enum FeedRefusalReason
{
    /// <summary>The file or the download could not be read at all.</summary>
    Unavailable,
    TooLarge,
    /// <summary>Not a signed envelope of the advisory-feed kind.</summary>
    Malformed,
    /// <summary>Signed by a key that is neither pinned in the build nor trusted by the admin.</summary>
    UnknownKey,
    /// <summary>The signature does not match the bytes (a flipped byte, a forged feed).</summary>
    BadSignature,
    /// <summary>Correctly signed, but the content breaks the feed rules.</summary>
    InvalidFeed,
    /// <summary>Older than (or different from, at the same serial) a feed already accepted.</summary>
    Rollback,
}

public sealed record FeedRefusal(FeedRefusalReason Reason, string Message)
{
    public string Code => Reason switch
    {
        FeedRefusalReason.UnknownKey => "unknown-key",
        FeedRefusalReason.BadSignature => "bad-signature",
        FeedRefusalReason.InvalidFeed => "invalid-feed",
        FeedRefusalReason.TooLarge => "too-large",
        _ => Reason.ToString().ToLowerInvariant(),
    };
}

/// <summary>A feed whose signature checked out against a trusted key.</summary>
public sealed record VerifiedFeed(AdvisoryFeed Feed, TrustedKey Key, string PayloadSha256);

/// <summary>Checks signed feed bytes against a keyring; pure, no I/O.</summary>
public static class FeedVerifier
{
    public static FeedRefusal? Verify(ReadOnlySpan<byte> signed, AdvisoryKeyring keyring, out VerifiedFeed verified)
    {
        verified = null!;
        if (!SignedEnvelope.TryParse(signed, out var envelope, out var error))
            return new FeedRefusal(FeedRefusalReason.Malformed, error);
        if (envelope.Format != MessageFormats.AdvisoryFeed)
            return new FeedRefusal(FeedRefusalReason.Malformed, $"not an advisory feed (format \"{envelope.Format}\")");
        var key = keyring.Find(envelope.KeyId);
        if (key is null)
            return new FeedRefusal(FeedRefusalReason.UnknownKey, $"signed by key {envelope.KeyId}, which is not trusted (pinned vendor key or `vigil advisories trust`)");
        if (!envelope.IsSignedBy(MessageFormats.AdvisoryFeed, key.PublicKey))
            return new FeedRefusal(FeedRefusalReason.BadSignature, $"signature does not verify with key {key.KeyId}: the feed was altered or forged");
        if (!AdvisoryFeedJson.TryParse(envelope.Payload, out var feed, out error))
            return new FeedRefusal(FeedRefusalReason.InvalidFeed, error);
        verified = new VerifiedFeed(feed, key, Convert.ToHexStringLower(SHA256.HashData(envelope.Payload)));
        return null;
    }

    /// <summary>Refuses a feed that would take us back: a lower serial than the last accepted one,
    /// or the same serial with different content (two feeds cannot share a serial).</summary>
    public static FeedRefusal? CheckNotRolledBack(VerifiedFeed candidate, AdvisoryState state)
    {
        if (state.Serial is not { } last) return null;
        if (candidate.Feed.Serial < last)
            return new FeedRefusal(FeedRefusalReason.Rollback, $"feed serial {candidate.Feed.Serial} is older than serial {last} already accepted (rollback)");
        if (candidate.Feed.Serial == last && state.PayloadSha256 is { } hash && hash != candidate.PayloadSha256)
            return new FeedRefusal(FeedRefusalReason.Rollback, $"feed serial {last} was already accepted with different content");
        return null;
    }
}
