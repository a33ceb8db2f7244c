using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Vigil.Security.MailAuth.Dns;

namespace Vigil.Security.MailAuth.Dkim;

/// <summary>Finds DKIM (and ARC) public keys in DNS: TXT at <c>selector._domainkey.domain</c>
/// (RFC 6376 §3.6.2.1). A DNS failure is a <see cref="DkimKeyUnavailableException"/> (temperror);
/// a missing or unusable key is a <see cref="DkimKeyMissingException"/> (permerror).</summary>
public sealed class DnsDkimKeyLocator(IMailDns dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        if (!methods.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
            throw new DkimKeyMissingException($"no supported key query method in q={methods}");
        var name = $"{selector}._domainkey.{domain}";
        var answer = await dns.TxtAsync(name, cancellationToken);
        if (answer.Status == DnsStatus.TempFail) throw new DkimKeyUnavailableException($"DNS failure looking up {name}");
        foreach (var txt in answer.Records)
        {
            try
            {
                return GetPublicKey(txt);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
            {
                // try the next record; none usable is reported below
            }
        }
        throw new DkimKeyMissingException(answer.Records.Count == 0 ? $"no key at {name}" : $"no usable key at {name} (revoked or malformed)");
    }
}

/// <summary>The key could not be fetched now (temperror).</summary>
public sealed class DkimKeyUnavailableException(string message) : Exception(message);

/// <summary>There is no usable key (permerror).</summary>
public sealed class DkimKeyMissingException(string message) : Exception(message);
