using System.Text.RegularExpressions;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Interop.Tests.Outbound.Peers;
using static Vigil.Interop.Tests.Outbound.OutboundHelpers;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>Issue 5's main proof: mail submitted to Vigil leaves through the queue, finds the
/// recipient domain's MX in DNS (dnsmasq), skips the preferred MX that is down, reaches a real
/// Postfix over opportunistic STARTTLS, and arrives with DKIM signatures (RSA and Ed25519) that
/// python3-dkim verifies against the keys published in DNS as <c>vigil domain dns</c> prints them.</summary>
public sealed partial class PostfixRemoteMxTests
{
    [Fact]
    public async Task Submitted_mail_reaches_postfix_via_the_backup_mx_over_tls_with_verifiable_dkim()
    {
        var port = PeerProcess.FreePort();
        await using var dns = new Dnsmasq();
        await using var server = await TestServer.StartAsync(c =>
        {
            c.Outbound.DnsServer = dns.Server;
            c.Outbound.SmtpPort = port;
        });
        await server.AddUserAsync("alice");

        // The admin's steps: create the DKIM keys, print the records, publish them.
        var dkim = await VigilCli.RunAsync(server.Data.Root, "domain", "dkim", TestServer.Domain);
        Assert.True(dkim.ExitCode == 0, dkim.ToString());
        var zone = await VigilCli.RunAsync(server.Data.Root, "domain", "dns", TestServer.Domain);
        Assert.True(zone.ExitCode == 0, zone.ToString());
        foreach (Match m in DkimTxt().Matches(zone.Stdout))
        {
            dns.Txt(m.Groups[1].Value, string.Concat(Regex.Matches(m.Groups[2].Value, "\"([^\"]*)\"").Select(s => s.Groups[1].Value)));
        }
        // remote.test: the preferred MX (10) has nothing listening; the backup (20) is Postfix.
        dns.Mx("remote.test", "mx1.remote.test", 10).Mx("remote.test", "mx2.remote.test", 20)
            .A("mx1.remote.test", Loopback.Mx1).A("mx2.remote.test", Loopback.Mx2);
        await dns.StartAsync();
        await using var postfix = await PostfixMx.StartAsync("mx2.remote.test", "remote.test", Loopback.Mx2, port);

        await SubmitAsync(server, "alice@example.test", Message("Alice <alice@example.test>", "bob@remote.test", "to postfix"));

        var received = await EventuallyAsync(() => Task.FromResult(postfix.Delivered().FirstOrDefault()), "Postfix to deliver the message");
        Assert.Contains("Subject: to postfix", received, StringComparison.Ordinal);
        Assert.Matches(@"by mx2\.remote\.test \(Postfix\) with ESMTPS", received);    // STARTTLS was used
        Assert.Contains("(using TLSv1.", received, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(received, "^Return-Path:", RegexOptions.Multiline)); // Postfix's own; Vigil stripped the one it added at receipt

        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, received);
        var verify = await ExternalTool.RunAsync("/usr/bin/python3", [Python("dkim_verify.py"), dns.EndPoint.Address.ToString(), dns.EndPoint.Port.ToString(), file]);
        File.Delete(file);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("example.test rsa", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("rsa-sha256 pass", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("ed25519-sha256 pass", verify.Stdout, StringComparison.Ordinal);

        await EventuallyAsync(async () => (await server.Get<Vigil.Core.Outbound.IQueueStore>().ListAsync(CancellationToken.None)).Count == 0 ? "empty" : null,
            "the queue to forget the delivered message");
    }

    [Fact]
    public async Task Verified_tls_refuses_a_certificate_that_does_not_verify_and_required_tls_still_encrypts()
    {
        await using var s = await OutboundScenario.StartAsync(dns => dns.Mx("secure.test", "mx.secure.test", 10).A("mx.secure.test", Loopback.Mx2));
        await using var postfix = await PostfixMx.StartAsync("mx.secure.test", "secure.test", Loopback.Mx2, s.Port); // self-signed certificate
        var set = await VigilCli.RunAsync(s.Server.Data.Root, "route", "set", "secure.test", "mx", "--tls", "verify");
        Assert.True(set.ExitCode == 0, set.ToString());

        Assert.StartsWith("250", await s.SendAsync("eve@secure.test", "only with a valid certificate"));
        var r = await s.AttemptedAsync();
        Assert.Equal("4.7.5", r.Status);
        Assert.Contains("TLS with mx.secure.test", r.LastError, StringComparison.Ordinal);
        Assert.Empty(postfix.Delivered());

        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "route", "set", "secure.test", "mx", "--tls", "required")).ExitCode);
        var received = await EventuallyAsync(() => Task.FromResult(postfix.Delivered().FirstOrDefault()), "delivery with encryption but no verification");
        Assert.Contains("with ESMTPS", received, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(\S+\._domainkey\.\S+)\. IN TXT (.*)$", RegexOptions.Multiline)]
    private static partial Regex DkimTxt();
}
