using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Delivery;
using Vigil.Security.MailAuth;
using Vigil.Security.Tests.Support;

namespace Vigil.Security.Tests.MailAuth;

public class InboundAuthenticatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static InboundAuthenticator Create(FakeDns dns, MailAuthOptions? options = null) =>
        new(dns, options ?? new MailAuthOptions(), "mail.example.test", NullLogger<InboundAuthenticator>.Instance, () => 0);

    private static InboundMessage Message(byte[] bytes, string mailFrom = "alice@example.org", string? user = null) =>
        new(Client, "mx.example.org", mailFrom, user, _ => Task.FromResult<Stream>(new MemoryStream(bytes)));

    private static FakeDns SignedDomain(string policy = "reject") =>
        new FakeDns()
            .Txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all")
            .Txt("_dmarc.example.org", $"v=DMARC1; p={policy}");

    [Fact]
    public async Task Authentic_mail_gets_one_results_field_with_every_method()
    {
        var (signer, txt) = DkimKeys.Rsa("example.org", "r1");
        var dns = SignedDomain().Txt("r1._domainkey.example.org", txt);
        var bytes = DkimKeys.Bytes(DkimKeys.Signed(signer, DkimKeys.Message()));
        var verdict = await Create(dns).CheckAsync(Message(bytes), CancellationToken.None);
        Assert.Equal(InboundAction.Accept, verdict.Action);
        var lines = verdict.HeaderFields.Split("\r\n");
        Assert.Equal("Authentication-Results: mail.example.test;", lines[0]);
        Assert.Equal("\tspf=pass (matched ip4) smtp.mailfrom=\"alice@example.org\";", lines[1]); // RFC 8601 allows the quoted form
        Assert.Matches(@"^\tdkim=pass header.d=example.org header.s=r1 header.b=""?[A-Za-z0-9+/]{8}""?;$", lines[2]);
        Assert.Equal("\tdmarc=pass (p=reject dis=none) header.from=example.org", lines[3]);
        Assert.Equal("", lines[4]);
    }

    [Fact]
    public async Task Spoofed_mail_from_a_p_reject_domain_is_rejected()
    {
        var dns = SignedDomain();
        var bytes = DkimKeys.Bytes(DkimKeys.Message());
        var verdict = await Create(dns).CheckAsync(new InboundMessage(IPAddress.Parse("203.0.113.66"), "spammer.test", "alice@example.org", null, _ => Task.FromResult<Stream>(new MemoryStream(bytes))), CancellationToken.None);
        Assert.Equal(InboundAction.Reject, verdict.Action);
        Assert.Equal("Rejected by the DMARC policy of example.org: neither SPF nor DKIM passed aligned with the From domain", verdict.Reason);
        Assert.Contains("spf=fail", verdict.HeaderFields, StringComparison.Ordinal);
        Assert.Contains("dkim=none", verdict.HeaderFields, StringComparison.Ordinal);
        Assert.Contains("dmarc=fail (p=reject dis=reject) header.from=example.org", verdict.HeaderFields, StringComparison.Ordinal);
        // with rejection switched off, the same mail goes to Junk
        var soft = await Create(dns, new MailAuthOptions { RejectOnDmarcReject = false }).CheckAsync(Message(bytes, "x@elsewhere.net"), CancellationToken.None);
        Assert.Equal(InboundAction.Junk, soft.Action);
    }

    [Fact]
    public async Task Quarantine_policy_files_as_junk_and_none_delivers()
    {
        var bytes = DkimKeys.Bytes(DkimKeys.Message());
        Assert.Equal(InboundAction.Junk, (await Create(SignedDomain("quarantine")).CheckAsync(Message(bytes, "x@elsewhere.net"), CancellationToken.None)).Action);
        Assert.Equal(InboundAction.Accept, (await Create(SignedDomain("none")).CheckAsync(Message(bytes, "x@elsewhere.net"), CancellationToken.None)).Action);
    }

    [Fact]
    public async Task A_DKIM_failure_alone_does_not_reject_when_SPF_passes_aligned()
    {
        var (signer, txt) = DkimKeys.Rsa("example.org", "r1");
        var message = DkimKeys.Signed(signer, DkimKeys.Message());
        message.Subject = "tampered";
        var verdict = await Create(SignedDomain().Txt("r1._domainkey.example.org", txt)).CheckAsync(Message(DkimKeys.Bytes(message)), CancellationToken.None);
        Assert.Equal(InboundAction.Accept, verdict.Action);
        Assert.Contains("dkim=fail", verdict.HeaderFields, StringComparison.Ordinal);
        Assert.Contains("dmarc=pass", verdict.HeaderFields, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DNS_trouble_never_rejects()
    {
        var dns = new FakeDns().Fail("example.org").Fail("_dmarc.example.org");
        var verdict = await Create(dns).CheckAsync(Message(DkimKeys.Bytes(DkimKeys.Message())), CancellationToken.None);
        Assert.Equal(InboundAction.Accept, verdict.Action);
        Assert.Contains("spf=temperror", verdict.HeaderFields, StringComparison.Ordinal);
        Assert.Contains("dmarc=temperror", verdict.HeaderFields, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticated_submissions_are_marked_not_checked()
    {
        var verdict = await Create(new FakeDns()).CheckAsync(Message(DkimKeys.Bytes(DkimKeys.Message()), user: "bob@example.test"), CancellationToken.None);
        Assert.Equal(InboundAction.Accept, verdict.Action);
        Assert.Equal("Authentication-Results: mail.example.test;\r\n\tauth=pass smtp.auth=\"bob@example.test\"\r\n", verdict.HeaderFields);
    }

    [Theory]
    [InlineData("Authentication-Results: mail.example.test; dmarc=pass\r\n", true)]
    [InlineData("authentication-results:MAIL.EXAMPLE.TEST;\r\n\tspf=pass smtp.mailfrom=x@y\r\n", true)]
    [InlineData("Authentication-Results : mail.example.test (forged); none\r\n", true)]
    [InlineData("Authentication-Results: mail.example.test\r\n", true)]
    [InlineData("Authentication-Results: mail.example.test;;;(((\r\n", true)]
    [InlineData("Authentication-Results: mx.google.com; dmarc=pass\r\n", false)]
    [InlineData("Authentication-Results: mail.example.test.evil.net; dmarc=pass\r\n", false)]
    [InlineData("ARC-Authentication-Results: i=1; mail.example.test; dmarc=pass\r\n", false)]
    [InlineData("X-Authentication-Results: mail.example.test; dmarc=pass\r\n", false)]
    [InlineData("Subject: Authentication-Results: mail.example.test\r\n", false)]
    public void Only_fields_claiming_our_authserv_id_are_removed(string field, bool removed) =>
        Assert.Equal(removed, AuthenticationResultsField.ClaimsToBeFrom("mail.example.test")(Encoding.UTF8.GetBytes(field)));

    [Fact]
    public async Task Forged_results_are_stripped_from_what_is_stored_and_everything_else_kept()
    {
        var original = "Received: from x\r\nAuthentication-Results: mail.example.test;\r\n\tdmarc=pass header.from=bank.example\r\nAuthentication-Results: mx.other.net; spf=pass\r\nFrom: a@bank.example\r\n\r\nAuthentication-Results: mail.example.test; this is the body\r\n";
        var verdict = await Create(new FakeDns()).CheckAsync(Message(Encoding.UTF8.GetBytes(original)), CancellationToken.None);
        var output = new MemoryStream();
        await HeaderFieldFilter.CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes(original)), verdict.RemoveField!, (b, _) => { output.Write(b.Span); return ValueTask.CompletedTask; }, CancellationToken.None);
        Assert.Equal("Received: from x\r\nAuthentication-Results: mx.other.net; spf=pass\r\nFrom: a@bank.example\r\n\r\nAuthentication-Results: mail.example.test; this is the body\r\n", Encoding.UTF8.GetString(output.ToArray()));
    }
}
