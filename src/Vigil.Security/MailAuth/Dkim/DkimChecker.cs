using MimeKit;
using MimeKit.Cryptography;

namespace Vigil.Security.MailAuth.Dkim;

/// <summary>Verifies every DKIM-Signature of a message (RFC 6376) with MimeKit, RSA and Ed25519
/// (RFC 8463); rsa-sha1 is refused (RFC 8301 §3.1), as are RSA keys under the configured size.</summary>
public sealed class DkimChecker(DnsDkimKeyLocator locator, MailAuthOptions options)
{
    public async Task<IReadOnlyList<DkimOutcome>> CheckAsync(MimeMessage message, CancellationToken ct)
    {
        var verifier = new DkimVerifier(locator) { MinimumRsaKeyLength = options.MinimumRsaKeyBits };
        verifier.Disable(DkimSignatureAlgorithm.RsaSha1);
        verifier.Enable(DkimSignatureAlgorithm.RsaSha256);
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var results = new List<DkimOutcome>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var tags = DkimTags.Parse(header.Value);
            if (results.Count >= options.MaxDkimSignatures)
            {
                results.Add(DkimOutcome.From(tags, "neutral", "not checked: too many signatures"));
                continue;
            }
            results.Add(await VerifyAsync(verifier, message, header, tags, ct));
        }
        return results;
    }

    private static async Task<DkimOutcome> VerifyAsync(DkimVerifier verifier, MimeMessage message, Header header, DkimTags tags, CancellationToken ct)
    {
        if (tags.Algorithm.Equals("rsa-sha1", StringComparison.OrdinalIgnoreCase)) return DkimOutcome.From(tags, "fail", "rsa-sha1 is not accepted (RFC 8301)");
        try
        {
            return await verifier.VerifyAsync(message, header, ct)
                ? DkimOutcome.From(tags, "pass", null)
                : DkimOutcome.From(tags, "fail", "signature or body hash does not verify");
        }
        catch (DkimKeyUnavailableException ex)
        {
            return DkimOutcome.From(tags, "temperror", ex.Message);
        }
        catch (Exception ex) when (ex is DkimKeyMissingException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException or Org.BouncyCastle.Crypto.CryptoException)
        {
            return DkimOutcome.From(tags, "permerror", ex.Message);
        }
    }
}

/// <summary>One signature's result, with the tags reported in Authentication-Results.</summary>
public sealed record DkimOutcome(string Result, string Domain, string Selector, string? Identity, string SignaturePrefix, string? Problem)
{
    public bool Passed => Result == "pass";

    public static DkimOutcome From(DkimTags tags, string result, string? problem) =>
        new(result, tags.Domain, tags.Selector, tags.Identity, tags.Signature.Length > 8 ? tags.Signature[..8] : tags.Signature, problem);
}

/// <summary>The DKIM-Signature tags Vigil reports (RFC 6376 §3.5 tag=value list). Pure.</summary>
public sealed record DkimTags(string Domain, string Selector, string? Identity, string Algorithm, string Signature)
{
    public static DkimTags Parse(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = part[..eq].Trim();
            tags.TryAdd(name, new string(part[(eq + 1)..].Where(c => !char.IsWhiteSpace(c)).ToArray()));
        }
        return new DkimTags(
            tags.GetValueOrDefault("d", "").ToLowerInvariant().TrimEnd('.'),
            tags.GetValueOrDefault("s", ""),
            tags.GetValueOrDefault("i"),
            tags.GetValueOrDefault("a", ""),
            tags.GetValueOrDefault("b", ""));
    }
}
