using System.Collections.Concurrent;
using MimeKit;
using MimeKit.Cryptography;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Security.Dkim;

/// <summary>Signs outgoing mail for hosted domains with every key the domain has (Ed25519 and RSA),
/// relaxed/relaxed canonicalisation (RFC 6376 §3.4.2, §3.4.4), so line re-wrapping and header
/// whitespace changes on the way do not break the signature. The signing domain is the From
/// domain when it is hosted here (DMARC alignment, RFC 7489 §3.1.1), else the envelope sender's.</summary>
public sealed class DkimSigning(IDkimKeyStore keys, IDirectoryStore directory)
{
    /// <summary>Fields that identify the message and its content; RFC 6376 §5.4.1 lists them as the
    /// ones to sign. From is listed twice: signing one more instance than exists stops anyone
    /// adding a second From below the signature (§8.15).</summary>
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId,
        HeaderId.To, HeaderId.Cc, HeaderId.InReplyTo, HeaderId.References, HeaderId.MimeVersion, HeaderId.ContentType,
        HeaderId.ContentTransferEncoding, HeaderId.ListId, HeaderId.ListUnsubscribe,
    ];

    private readonly ConcurrentDictionary<long, DkimSigner> _signers = new();

    /// <summary>Adds DKIM-Signature fields; returns the signing domain, or null when no hosted
    /// domain with keys applies.</summary>
    public async Task<string?> SignAsync(MimeMessage message, string envelopeSender, CancellationToken ct)
    {
        var domain = await SigningDomainAsync(message, envelopeSender, ct);
        if (domain is null) return null;
        var domainKeys = await keys.ListAsync(domain, ct);
        if (domainKeys.Count == 0) return null;
        // Each signature is prepended, so the last one signed ends up first; sign RSA last so the
        // widely understood signature is on top.
        foreach (var key in domainKeys.OrderByDescending(k => k.Algorithm))
        {
            var signer = _signers.GetOrAdd(key.Id, _ => CreateSigner(key));
            lock (signer) signer.Sign(WireFormat.Options, message, SignedHeaders);
        }
        return domain;
    }

    private async Task<string?> SigningDomainAsync(MimeMessage message, string envelopeSender, CancellationToken ct)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Domain;
        foreach (var candidate in new[] { from, EnvelopeDomain(envelopeSender) })
        {
            if (EmailAddress.TryNormaliseDomain(candidate, out var normalised) && await directory.GetDomainAsync(normalised, ct) is not null) return normalised;
        }
        return null;
    }

    private static string? EnvelopeDomain(string sender) => EmailAddress.TryParse(sender, out var a) ? a.Domain : null;

    private static DkimSigner CreateSigner(DkimKey key)
    {
        using var pem = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(key.PrivateKeyPem));
        var algorithm = key.Algorithm == DkimAlgorithm.Ed25519 ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;
        return new DkimSigner(pem, key.Domain, key.Selector, algorithm)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }
}
