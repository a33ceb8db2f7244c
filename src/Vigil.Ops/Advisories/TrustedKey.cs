namespace Vigil.Ops.Advisories;

/// <summary>Where trust in a feed key comes from.</summary>
public enum KeyOrigin
{
    /// <summary>The vendor's key, pinned in this build.</summary>
    Vendor,

    /// <summary>A key an admin added with <c>vigil advisories trust</c> (an internal mirror).</summary>
    Admin,
}

/// <summary>A public key whose signature on a feed is accepted.</summary>
public sealed record TrustedKey(string KeyId, byte[] PublicKey, KeyOrigin Origin, string Comment, DateTimeOffset? AddedAt);
