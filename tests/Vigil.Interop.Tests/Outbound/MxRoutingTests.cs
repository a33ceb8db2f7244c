using Vigil.Core.Outbound.Routing;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Interop.Tests.Outbound.Peers;
using static Vigil.Interop.Tests.Outbound.OutboundHelpers;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>RFC 5321 §5.1 and RFC 7505 against answers from a real DNS server (dnsmasq): MX
/// preference and fail-over, implicit MX, null MX, unknown domains, an MX pointing back at us,
/// and the route table overriding DNS (smart host with AUTH, TLS policy).</summary>
public sealed class MxRoutingTests
{
    [Fact]
    public async Task The_preferred_mx_gets_the_mail_and_a_dead_one_is_skipped()
    {
        await using var s = await OutboundScenario.StartAsync(dns => dns
            .Mx("multi.test", "dead.multi.test", 5).A("dead.multi.test", Loopback.Mx3)
            .Mx("multi.test", "good.multi.test", 10).A("good.multi.test", Loopback.Mx2)
            .Mx("multi.test", "worse.multi.test", 20).A("worse.multi.test", Loopback.Mx1));
        var good = await s.SinkAsync(Loopback.Mx2);
        var worse = await s.SinkAsync(Loopback.Mx1);
        Assert.StartsWith("250", await s.SendAsync("carol@multi.test", "by preference"));
        await s.WaitForEmptyQueueAsync();
        Assert.Single(good.Messages());
        Assert.Empty(worse.Messages());
    }

    [Fact]
    public async Task A_domain_without_mx_receives_at_its_own_address()
    {
        await using var s = await OutboundScenario.StartAsync(dns => dns.A("implicit.test", Loopback.Mx3));
        var sink = await s.SinkAsync(Loopback.Mx3);
        Assert.StartsWith("250", await s.SendAsync("dave@implicit.test", "implicit mx"));
        await s.WaitForEmptyQueueAsync();
        Assert.Contains("X-Rcpt-Args: <dave@implicit.test>", Assert.Single(sink.Messages()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x@nullmx.test", "5.1.10", "null MX")]
    [InlineData("x@nothere.test", "5.1.2", "does not exist")]
    [InlineData("x@loop.test", "5.4.6", "loops back to myself")]
    public async Task Undeliverable_destinations_bounce_at_once(string recipient, string status, string reason)
    {
        await using var s = await OutboundScenario.StartAsync(dns => dns.NullMx("nullmx.test").Mx("loop.test", "mail.example.test", 10).A("mail.example.test", Loopback.Mx3));
        Assert.StartsWith("250", await s.SendAsync(recipient, "undeliverable"));
        var report = await ReadDsnWithPythonAsync(await s.InboxMessageAsync("Undelivered Mail Returned to Sender"));
        Assert.Contains($"1:Status: {status}", report, StringComparison.Ordinal);
        Assert.Contains(reason, report, StringComparison.Ordinal);
        Assert.Equal(1, (await s.Server.InboxAsync(s.Alice)).Count);
        await s.WaitForEmptyQueueAsync();
    }

    [Fact]
    public async Task A_route_sends_a_domain_to_a_smart_host_that_requires_auth_and_can_be_removed()
    {
        await using var s = await OutboundScenario.StartAsync();
        var mx = await s.SinkAsync(Loopback.Mx1);
        // The smart host: a real Postfix that relays only for SASL-authenticated clients (Dovecot auth).
        await using var sasl = await DovecotAuth.StartAsync("relayuser", "relay-secret");
        await using var relay = await PostfixMx.StartAsync("relay.test", "remote.test", Loopback.Mx3, s.Port, sasl.Socket);
        var set = await VigilCli.RunWithInputAsync(s.Server.Data.Root, "relay-secret\n", "route", "set", "remote.test", $"{Loopback.Mx3}:{s.Port}", "--auth", "relayuser");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains($"remote.test -> {Loopback.Mx3}:{s.Port} tls=opportunistic auth=relayuser", (await VigilCli.RunAsync(s.Server.Data.Root, "route", "list")).Stdout, StringComparison.Ordinal);

        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "via relay"));
        var relayed = await EventuallyAsync(() => Task.FromResult(relay.Delivered().FirstOrDefault()), "the smart host to take the message");
        Assert.Matches(@"by relay\.test \(Postfix\) with ESMTPSA", relayed); // S: TLS, A: authenticated
        Assert.Empty(mx.Messages());
        await s.WaitForEmptyQueueAsync();

        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "route", "remove", "remote.test")).ExitCode);
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "via mx again"));
        await s.WaitForEmptyQueueAsync();
        Assert.Single(mx.Messages());
    }

    [Fact]
    public async Task A_smart_host_that_refuses_the_credentials_defers_the_mail()
    {
        await using var s = await OutboundScenario.StartAsync();
        await using var sasl = await DovecotAuth.StartAsync("relayuser", "relay-secret");
        await using var relay = await PostfixMx.StartAsync("relay.test", "remote.test", Loopback.Mx3, s.Port, sasl.Socket);
        await s.Server.Get<IRouteStore>().SetAsync(new Route("remote.test", Loopback.Mx3.ToString(), s.Port, "relayuser", "wrong", TlsPolicy.Opportunistic), CancellationToken.None);
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "bad credentials"));
        var r = await s.AttemptedAsync();
        Assert.Equal("4.7.8", r.Status);
        Assert.Contains("authentication as relayuser", r.LastError, StringComparison.Ordinal);
        Assert.Empty(relay.Delivered());
    }

    [Fact]
    public async Task Required_tls_to_a_server_without_starttls_defers_instead_of_sending_in_clear()
    {
        await using var s = await OutboundScenario.StartAsync();
        var sink = await s.SinkAsync(Loopback.Mx1); // smtp-sink offers no STARTTLS
        await s.Server.Get<IRouteStore>().SetAsync(new Route("remote.test", null, 0, null, null, TlsPolicy.Required), CancellationToken.None);
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "secret stuff"));
        var r = await s.AttemptedAsync();
        Assert.Equal("4.7.4", r.Status);
        Assert.Contains("does not offer STARTTLS", r.LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Messages());
    }
}
