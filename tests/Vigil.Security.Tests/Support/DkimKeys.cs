using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Vigil.Security.Tests.Support;

/// <summary>Signing keys for tests, with the TXT record that publishes each.</summary>
public static class DkimKeys
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, RSA> Keys = new();

    public static (DkimSigner Signer, string Txt) Rsa(string domain, string selector, int bits = 2048, DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256)
    {
        var rsa = Keys.GetOrAdd(bits, b => RSA.Create(b)); // key generation is slow: one per size per run
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var signer = new DkimSigner(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(pem)), domain, selector, algorithm) { HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed };
        return (signer, $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}");
    }

    public static (DkimSigner Signer, string Txt) Ed25519(string domain, string selector)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var signer = new DkimSigner(pair.Private, domain, selector, DkimSignatureAlgorithm.Ed25519Sha256) { HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed };
        return (signer, $"v=DKIM1; k=ed25519; p={Convert.ToBase64String(((Ed25519PublicKeyParameters)pair.Public).GetEncoded())}");
    }

    public static MimeMessage Message(string from = "alice@example.org", string subject = "hello")
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse("bob@example.test"));
        m.Subject = subject;
        m.MessageId = "test@" + from.Split('@')[1];
        m.Date = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
        m.Body = new TextPart("plain") { Text = "The body.\r\n" };
        return m;
    }

    public static MimeMessage Signed(DkimSigner signer, MimeMessage message)
    {
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var ms = new MemoryStream();
        message.WriteTo(FormatOptions.Default.Clone() is var o ? WithCrlf(o) : o, ms);
        return ms.ToArray();
    }

    private static FormatOptions WithCrlf(FormatOptions o)
    {
        o.NewLineFormat = NewLineFormat.Dos;
        return o;
    }
}
