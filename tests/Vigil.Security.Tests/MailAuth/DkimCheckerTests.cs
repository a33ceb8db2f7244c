using MimeKit;
using MimeKit.Cryptography;
using Vigil.Security.MailAuth;
using Vigil.Security.MailAuth.Dkim;
using Vigil.Security.Tests.Support;

namespace Vigil.Security.Tests.MailAuth;

public class DkimCheckerTests
{
    private static Task<IReadOnlyList<DkimOutcome>> CheckAsync(FakeDns dns, MimeMessage message) =>
        new DkimChecker(new DnsDkimKeyLocator(dns), new MailAuthOptions()).CheckAsync(Reparse(message), CancellationToken.None);

    // Verification runs on what was received, so go through bytes.
    private static MimeMessage Reparse(MimeMessage m) => MimeMessage.Load(new MemoryStream(DkimKeys.Bytes(m)));

    [Fact]
    public async Task RSA_and_Ed25519_signatures_pass()
    {
        var (rsa, rsaTxt) = DkimKeys.Rsa("example.org", "r1");
        var (ed, edTxt) = DkimKeys.Ed25519("example.org", "e1");
        var message = DkimKeys.Signed(ed, DkimKeys.Signed(rsa, DkimKeys.Message()));
        var dns = new FakeDns().Txt("r1._domainkey.example.org", rsaTxt).Txt("e1._domainkey.example.org", edTxt);
        var results = await CheckAsync(dns, message);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("pass", r.Result));
        Assert.Equal(["e1", "r1"], results.Select(r => r.Selector).Order());
        Assert.All(results, r => Assert.Equal("example.org", r.Domain));
        Assert.All(results, r => Assert.Equal(8, r.SignaturePrefix.Length));
    }

    [Fact]
    public async Task A_changed_body_or_header_fails()
    {
        var (rsa, txt) = DkimKeys.Rsa("example.org", "r1");
        var dns = new FakeDns().Txt("r1._domainkey.example.org", txt);
        var body = DkimKeys.Signed(rsa, DkimKeys.Message());
        body.Body = new TextPart("plain") { Text = "Changed in transit.\r\n" };
        Assert.Equal("fail", Assert.Single(await CheckAsync(dns, body)).Result);
        var subject = DkimKeys.Signed(rsa, DkimKeys.Message());
        subject.Subject = "changed";
        Assert.Equal("fail", Assert.Single(await CheckAsync(dns, subject)).Result);
    }

    [Fact]
    public async Task A_missing_or_revoked_key_is_permerror_and_a_DNS_failure_temperror()
    {
        var (rsa, _) = DkimKeys.Rsa("example.org", "r1");
        var message = DkimKeys.Signed(rsa, DkimKeys.Message());
        Assert.Equal("permerror", Assert.Single(await CheckAsync(new FakeDns(), message)).Result);
        Assert.Equal("permerror", Assert.Single(await CheckAsync(new FakeDns().Txt("r1._domainkey.example.org", "v=DKIM1; k=rsa; p="), message)).Result);
        Assert.Equal("temperror", Assert.Single(await CheckAsync(new FakeDns().Fail("r1._domainkey.example.org"), message)).Result);
    }

    [Fact]
    public async Task Weak_signatures_are_not_accepted()
    {
        var (sha1, sha1Txt) = DkimKeys.Rsa("example.org", "s1", algorithm: DkimSignatureAlgorithm.RsaSha1);
        var old = DkimKeys.Signed(sha1, DkimKeys.Message());
        Assert.Equal("fail", Assert.Single(await CheckAsync(new FakeDns().Txt("s1._domainkey.example.org", sha1Txt), old)).Result);

        var (small, smallTxt) = DkimKeys.Rsa("example.org", "k512", bits: 512);
        var weak = DkimKeys.Signed(small, DkimKeys.Message());
        Assert.NotEqual("pass", Assert.Single(await CheckAsync(new FakeDns().Txt("k512._domainkey.example.org", smallTxt), weak)).Result);
    }

    [Fact]
    public async Task A_malformed_signature_is_permerror_and_an_unsigned_message_has_no_results()
    {
        var message = DkimKeys.Message();
        message.Headers.Add(HeaderId.DkimSignature, "v=1; a=rsa-sha256; d=example.org; s=r1; garbage");
        Assert.Equal("permerror", Assert.Single(await CheckAsync(new FakeDns(), message)).Result);
        Assert.Empty(await CheckAsync(new FakeDns(), DkimKeys.Message()));
    }
}
