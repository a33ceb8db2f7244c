using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Inbound sender authentication end to end: messages signed by dkimpy (dkimsign, RSA and
/// Ed25519) and sealed by its arcsign, sent by swaks from loopback addresses, checked against a
/// loopback DNS zone (and once against dnsmasq). Nothing here asks the internet.</summary>
public sealed class MailAuthInteropTests(DkimpyKeys keys) : IAsyncLifetime, IClassFixture<DkimpyKeys>
{
    private TestServer _server = null!;
    private Account _bob = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _bob = await _server.AddUserAsync("bob");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Message(string from, string subject, string extraHeaders = "") =>
        extraHeaders +
        $"From: {from}\r\nTo: bob@example.test\r\nSubject: {subject}\r\nDate: Thu, 15 Jan 2026 12:00:00 +0000\r\nMessage-ID: <{Guid.NewGuid():N}@{from.Split('@')[1]}>\r\n\r\n" +
        "Hello Bob,\r\n.a line with a leading dot\r\nregards\r\n";

    private static async Task<string> DkimSignAsync(string message, string selector, string domain, string key, bool ed25519 = false)
    {
        var r = await ExternalTool.RunAsync("dkimsign", [selector, domain, key, "--signalg", ed25519 ? "ed25519-sha256" : "rsa-sha256"], stdin: message);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout;
    }

    private async Task<ExternalTool.Result> SendAsync(string source, string mailFrom, string message) =>
        await ExternalTool.RunAsync("swaks", ["--server", "127.0.0.1", "--port", _server.Port("smtp").ToString(CultureInfo.InvariantCulture),
            "--local-interface", source, "--ehlo", "sender.example.org", "--from", mailFrom, "--to", "bob@example.test", "--data", "-"], stdin: message);

    private async Task<string> StoredAsync(string mailbox = Mailbox.Inbox)
    {
        var store = _server.Get<IMessageStore>();
        var box = await store.GetMailboxAsync(_bob.Id, mailbox, CancellationToken.None);
        var message = Assert.Single(await store.ListMessagesAsync(_bob.Id, box!.Id, CancellationToken.None));
        return Encoding.UTF8.GetString(_server.ReadBlob(message));
    }

    /// <summary>The one Authentication-Results field Vigil added, unfolded.</summary>
    private static string Results(string stored)
    {
        var start = stored.IndexOf("\r\nAuthentication-Results: mail.example.test;", StringComparison.Ordinal);
        Assert.True(start >= 0, stored);
        var end = stored.IndexOf("\r\n", start + 2, StringComparison.Ordinal);
        while (stored[end + 2] is '\t' or ' ') end = stored.IndexOf("\r\n", end + 2, StringComparison.Ordinal);
        return stored[(start + 2)..end].Replace("\r\n\t", " ", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RSA_signed_mail_from_an_authorised_address_passes_everything_and_forged_results_are_removed()
    {
        var (key, txt) = keys.Rsa;
        _server.Dns.Txt("s1._domainkey.example.org", txt)
            .Txt("example.org", "v=spf1 ip4:127.0.0.5 -all")
            .Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        var forged = "Authentication-Results: mail.example.test; dmarc=pass header.from=example.org\r\nAuthentication-Results: upstream.example.net; spf=pass\r\n";
        var signed = await DkimSignAsync(Message("alice@example.org", "signed with RSA", forged), "s1", "example.org", key);
        var r = await SendAsync("127.0.0.5", "alice@example.org", signed);
        Assert.True(r.ExitCode == 0, r.ToString());

        var stored = await StoredAsync();
        var results = Results(stored);
        Assert.Contains("spf=pass", results, StringComparison.Ordinal);
        Assert.Matches(@"dkim=pass header\.d=example\.org header\.s=s1 header\.i=""?@example\.org""? header\.b=", results);
        Assert.Contains("dmarc=pass (p=reject dis=none) header.from=example.org", results, StringComparison.Ordinal);
        Assert.Single(stored.Split("\r\n").Where(l => l.StartsWith("Authentication-Results: mail.example.test", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain("mail.example.test; dmarc=pass header.from", stored, StringComparison.Ordinal); // the forged one
        Assert.Contains("Authentication-Results: upstream.example.net; spf=pass", stored, StringComparison.Ordinal); // someone else's stays
        Assert.Contains("\r\n.a line with a leading dot\r\n", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ed25519_signed_mail_passes_DMARC_through_aligned_DKIM_alone()
    {
        var (key, txt) = keys.Ed25519;
        _server.Dns.Txt("e1._domainkey.example.org", txt).Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        var signed = await DkimSignAsync(Message("alice@example.org", "signed with Ed25519"), "e1", "example.org", key, ed25519: true);
        var r = await SendAsync("127.0.0.8", "bounces@mailer.example.net", signed);
        Assert.True(r.ExitCode == 0, r.ToString());
        var results = Results(await StoredAsync());
        Assert.Contains("spf=none", results, StringComparison.Ordinal);
        Assert.Contains("dkim=pass header.d=example.org header.s=e1", results, StringComparison.Ordinal);
        Assert.Contains("dmarc=pass", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spoofed_sender_of_a_p_reject_domain_is_refused_at_DATA_and_nothing_is_stored()
    {
        _server.Dns.Txt("bank.example", "v=spf1 ip4:192.0.2.0/24 -all").Txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        var r = await SendAsync("127.0.0.6", "ceo@bank.example", Message("ceo@bank.example", "urgent wire transfer"));
        Assert.Contains("550 5.7.1 Rejected by the DMARC policy of bank.example", r.Stdout, StringComparison.Ordinal);
        Assert.Empty(await _server.InboxAsync(_bob));

        // A tampered signature is no better than none.
        var (key, txt) = keys.Rsa;
        _server.Dns.Txt("k._domainkey.bank.example", txt);
        var signed = await DkimSignAsync(Message("ceo@bank.example", "signed, then changed"), "k", "bank.example", key);
        var tampered = signed.Replace("Hello Bob", "Hello Eve", StringComparison.Ordinal);
        r = await SendAsync("127.0.0.6", "ceo@bank.example", tampered);
        Assert.Contains("550 5.7.1 Rejected by the DMARC policy of bank.example", r.Stdout, StringComparison.Ordinal);
        Assert.Empty(await _server.InboxAsync(_bob));
    }

    [Fact]
    public async Task A_failing_sender_of_a_p_quarantine_domain_lands_in_Junk()
    {
        _server.Dns.Txt("shop.example", "v=spf1 ip4:192.0.2.0/24 -all").Txt("_dmarc.shop.example", "v=DMARC1; p=quarantine");
        var r = await SendAsync("127.0.0.6", "offers@shop.example", Message("offers@shop.example", "you won"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Empty(await _server.InboxAsync(_bob));
        var results = Results(await StoredAsync("Junk"));
        Assert.Contains("spf=fail", results, StringComparison.Ordinal);
        Assert.Contains("dmarc=fail (p=quarantine dis=quarantine) header.from=shop.example", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SPF_fail_without_a_DMARC_policy_is_recorded_not_refused()
    {
        _server.Dns.Txt("plain.example", "v=spf1 ip4:192.0.2.0/24 -all");
        var r = await SendAsync("127.0.0.6", "someone@plain.example", Message("someone@plain.example", "hello"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var results = Results(await StoredAsync());
        Assert.Contains("spf=fail", results, StringComparison.Ordinal);
        Assert.Contains("dmarc=none", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ARC_chain_sealed_by_a_forwarder_is_verified()
    {
        var (dkimKey, dkimTxt) = keys.Rsa;
        var (arcKey, arcTxt) = keys.Rsa2;
        _server.Dns.Txt("s1._domainkey.example.org", dkimTxt).Txt("arc._domainkey.fwd.example", arcTxt);
        var signed = await DkimSignAsync(Message("alice@example.org", "via a list"), "s1", "example.org", dkimKey);
        // The forwarder records what it saw and seals it (RFC 8617), then changes nothing else.
        var seen = "Authentication-Results: fwd.example; dkim=pass header.d=example.org\r\n" + signed;
        var sealedMessage = await ExternalTool.RunAsync("arcsign", ["arc", "fwd.example", arcKey, "fwd.example"], stdin: seen);
        Assert.True(sealedMessage.ExitCode == 0, sealedMessage.ToString());
        var r = await SendAsync("127.0.0.9", "list-bounces@fwd.example", sealedMessage.Stdout);
        Assert.True(r.ExitCode == 0, r.ToString());
        var results = Results(await StoredAsync());
        Assert.Contains("arc=pass", results, StringComparison.Ordinal);
        Assert.Contains("dkim=pass header.d=example.org", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_ARC_seal_is_reported_as_fail()
    {
        var (arcKey, arcTxt) = keys.Rsa2;
        _server.Dns.Txt("arc._domainkey.fwd.example", arcTxt);
        var seen = "Authentication-Results: fwd.example; spf=pass smtp.mailfrom=alice@example.org\r\n" + Message("alice@example.org", "sealed");
        var sealedMessage = await ExternalTool.RunAsync("arcsign", ["arc", "fwd.example", arcKey, "fwd.example"], stdin: seen);
        Assert.True(sealedMessage.ExitCode == 0, sealedMessage.ToString());
        var r = await SendAsync("127.0.0.9", "list-bounces@fwd.example", sealedMessage.Stdout.Replace("Subject: sealed", "Subject: resealed?", StringComparison.Ordinal));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("arc=fail", Results(await StoredAsync()), StringComparison.Ordinal);
    }
}

/// <summary>Keys made once per run by dkimpy's dknewkey (RSA generation is slow): each is a
/// private key file and the TXT record that publishes it.</summary>
public sealed class DkimpyKeys : IAsyncLifetime
{
    public const string Python = "/usr/bin/python3"; // the distribution's python, which has dkimpy
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-dkimkeys-").FullName;

    public (string Key, string Txt) Rsa { get; private set; }
    public (string Key, string Txt) Rsa2 { get; private set; }
    public (string Key, string Txt) Ed25519 { get; private set; }

    public async Task InitializeAsync()
    {
        var made = await Task.WhenAll(NewKeyAsync("rsa", false), NewKeyAsync("rsa2", false), NewKeyAsync("ed", true));
        (Rsa, Rsa2, Ed25519) = (made[0], made[1], made[2]);
    }

    private async Task<(string, string)> NewKeyAsync(string name, bool ed25519)
    {
        var r = await ExternalTool.RunAsync(Python, ["-m", "dkim.dknewkey", .. ed25519 ? new[] { "--ktype", "ed25519" } : [], name], workingDirectory: _dir);
        Assert.True(r.ExitCode == 0, r.ToString());
        return (Path.Combine(_dir, name + ".key"), File.ReadAllText(Path.Combine(_dir, name + ".dns")).Trim());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The resolver is whatever the admin configures: here dnsmasq, a DNS server we did not
/// write, on a loopback high port, serving the sender's records.</summary>
public sealed class MailAuthDnsmasqTests
{
    [Fact]
    public async Task Records_served_by_dnsmasq_are_used()
    {
        var port = 20000 + Random.Shared.Next(20000);
        var psi = new ProcessStartInfo("dnsmasq")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in new[]
        {
            "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", $"--port={port}", "--listen-address=127.0.0.1",
            "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/#/", "--log-facility=-",
            "--txt-record=example.org,v=spf1 ip4:127.0.0.5 -all", "--txt-record=_dmarc.example.org,v=DMARC1; p=reject",
        }) psi.ArgumentList.Add(a);
        if (Environment.UserName == "root") psi.ArgumentList.Add("--user=root");
        using var dnsmasq = Process.Start(psi)!;
        try
        {
            await using var server = await TestServer.StartAsync(c => c.MailAuth = c.MailAuth with { DnsServers = [$"127.0.0.1:{port}"] });
            var bob = await server.AddUserAsync("bob");
            ExternalTool.Result r = null!;
            for (var attempt = 0; attempt < 20; attempt++) // dnsmasq needs a moment to bind
            {
                r = await ExternalTool.RunAsync("swaks", ["--server", "127.0.0.1", "--port", server.Port("smtp").ToString(CultureInfo.InvariantCulture),
                    "--local-interface", "127.0.0.5", "--from", "alice@example.org", "--to", "bob@example.test", "--header", "From: alice@example.org"]);
                if (r.ExitCode == 0 && !Encoding.UTF8.GetString(server.ReadBlob((await server.InboxAsync(bob))[^1])).Contains("temperror", StringComparison.Ordinal)) break;
                await Task.Delay(200);
            }
            Assert.True(r.ExitCode == 0, r.ToString());
            var stored = Encoding.UTF8.GetString(server.ReadBlob((await server.InboxAsync(bob))[^1]));
            Assert.Contains("spf=pass", stored, StringComparison.Ordinal);
            Assert.Contains("dmarc=pass", stored, StringComparison.Ordinal);
        }
        finally
        {
            dnsmasq.Kill();
            await dnsmasq.WaitForExitAsync();
        }
    }
}
