using System.Net;
using Vigil.Security.MailAuth.Spf;
using Vigil.Security.Tests.Support;

namespace Vigil.Security.Tests.MailAuth;

public class SpfEvaluatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static async Task<SpfOutcome> CheckAsync(FakeDns dns, string ip = "192.0.2.10", string mailFrom = "alice@example.org", string helo = "mx.example.org") =>
        await new SpfEvaluator(dns, "mail.example.test").CheckAsync(IPAddress.Parse(ip), mailFrom, helo, CancellationToken.None);

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.10 -all", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.3.0/24 -all", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.3.0/24 ~all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ip4:192.0.3.0/24 ?all", SpfResult.Neutral)]
    [InlineData("v=spf1 ip4:192.0.3.0/24", SpfResult.Neutral)]
    [InlineData("v=spf1 -ip4:192.0.2.10 +all", SpfResult.Fail)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", SpfResult.Fail)]
    [InlineData("V=SPF1 IP4:192.0.2.10 -ALL", SpfResult.Pass)]
    [InlineData("v=spf1 a -all", SpfResult.Pass)]
    [InlineData("v=spf1 a:other.example.net/24 -all", SpfResult.Pass)]
    [InlineData("v=spf1 a:other.example.net -all", SpfResult.Fail)]
    [InlineData("v=spf1 mx -all", SpfResult.Fail)] // the MX is .9, the client .10
    [InlineData("v=spf1 mx/30 -all", SpfResult.Pass)]
    [InlineData("v=spf1 include:_spf.example.net -all", SpfResult.Pass)]
    [InlineData("v=spf1 exists:%{ir}.allow.example.net -all", SpfResult.Pass)]
    [InlineData("v=spf1 ptr:example.org -all", SpfResult.Pass)]
    [InlineData("v=spf1 ptr -all", SpfResult.Pass)]
    [InlineData("v=spf1 redirect=_spf.example.net", SpfResult.Pass)]
    [InlineData("v=spf1 unknown-mod=%{d} ip4:192.0.2.10 -all", SpfResult.Pass)]
    public async Task Mechanisms_match_as_RFC_7208_section_5_says(string record, SpfResult expected)
    {
        var dns = new FakeDns()
            .Txt("example.org", record)
            .A("example.org", "192.0.2.10")
            .A("other.example.net", "192.0.2.99")
            .Mx("example.org", "mx1.example.org")
            .A("mx1.example.org", "192.0.2.9")
            .Txt("_spf.example.net", "v=spf1 ip4:192.0.2.0/28 -all")
            .A("10.2.0.192.allow.example.net", "127.0.0.2")
            .Ptr("192.0.2.10", "mail.example.org")
            .A("mail.example.org", "192.0.2.10");
        var outcome = await CheckAsync(dns);
        Assert.Equal(expected, outcome.Result);
        Assert.Equal("example.org", outcome.Domain);
    }

    [Fact]
    public async Task No_record_is_none_and_so_is_a_nonexistent_or_single_label_domain()
    {
        Assert.Equal(SpfResult.None, (await CheckAsync(new FakeDns().Txt("example.org", "some other text"))).Result);
        Assert.Equal(SpfResult.None, (await CheckAsync(new FakeDns())).Result);
        Assert.Equal(SpfResult.None, (await CheckAsync(new FakeDns(), mailFrom: "alice@localhost")).Result);
    }

    [Fact]
    public async Task The_null_sender_is_checked_as_postmaster_at_the_HELO_name()
    {
        var dns = new FakeDns().Txt("mx.example.org", "v=spf1 ip4:192.0.2.10 -all");
        var outcome = await CheckAsync(dns, mailFrom: "");
        Assert.Equal(SpfResult.Pass, outcome.Result);
        Assert.Equal("mx.example.org", outcome.Domain);
    }

    [Fact]
    public async Task An_IPv4_mapped_client_is_checked_as_IPv4()
    {
        var dns = new FakeDns().Txt("example.org", "v=spf1 ip4:192.0.2.10 -all");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(dns, ip: "::ffff:192.0.2.10")).Result);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.10 -all", "v=spf1 -all")]     // two records (§4.5)
    [InlineData("v=spf1 foo:bar -all", null)]                      // unknown mechanism
    [InlineData("v=spf1 ip4:192.0.2 -all", null)]                  // not a dotted quad
    [InlineData("v=spf1 ip4:192.0.2.0/33 -all", null)]             // CIDR out of range
    [InlineData("v=spf1 a:example.123 -all", null)]                // numeric top label
    [InlineData("v=spf1 redirect=a.example.net redirect=b.example.net", null)]
    [InlineData("v=spf1 include:%{q}.example.net -all", null)]     // bad macro
    [InlineData("v=spf1 include:nospf.example.net -all", null)]    // include of a domain without SPF
    [InlineData("v=spf1 redirect=nospf.example.net", null)]        // redirect to a domain without SPF
    public async Task Broken_records_are_permerror(string record, string? second)
    {
        var dns = new FakeDns().Txt("example.org", second is null ? [record] : [record, second]).Exists("nospf.example.net");
        Assert.Equal(SpfResult.PermError, (await CheckAsync(dns)).Result);
    }

    [Fact]
    public async Task More_than_ten_DNS_mechanisms_is_permerror_even_through_includes()
    {
        var dns = new FakeDns().Txt("example.org", "v=spf1 include:i1.example.net -all");
        for (var i = 1; i <= 10; i++)
        {
            dns.Txt($"i{i}.example.net", i < 10 ? $"v=spf1 a:h{i}.example.net include:i{i + 1}.example.net" : "v=spf1 ip4:192.0.2.10").A($"h{i}.example.net", "198.51.100.1");
        }
        var outcome = await CheckAsync(dns);
        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.Contains("more than 10", outcome.Problem, StringComparison.Ordinal);

        // Exactly ten is allowed.
        var ten = new FakeDns().Txt("example.org", "v=spf1 a:h1.example.net a:h2.example.net a:h3.example.net a:h4.example.net a:h5.example.net a:h6.example.net a:h7.example.net a:h8.example.net a:h9.example.net a -all").A("example.org", "192.0.2.10");
        for (var i = 1; i <= 9; i++) ten.A($"h{i}.example.net", "198.51.100.1");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(ten)).Result);
    }

    [Fact]
    public async Task More_than_two_void_lookups_is_permerror()
    {
        var three = new FakeDns().Txt("example.org", "v=spf1 a:v1.example.net a:v2.example.net a:v3.example.net ip4:192.0.2.10 -all");
        Assert.Equal(SpfResult.PermError, (await CheckAsync(three)).Result);
        var two = new FakeDns().Txt("example.org", "v=spf1 a:v1.example.net a:v2.example.net ip4:192.0.2.10 -all");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(two)).Result);
    }

    [Fact]
    public async Task An_MX_answer_with_more_than_ten_names_is_permerror()
    {
        var dns = new FakeDns().Txt("example.org", "v=spf1 mx -all").Mx("example.org", Enumerable.Range(1, 11).Select(i => $"mx{i}.example.org").ToArray());
        for (var i = 1; i <= 11; i++) dns.A($"mx{i}.example.org", "198.51.100." + i);
        Assert.Equal(SpfResult.PermError, (await CheckAsync(dns)).Result);
    }

    [Fact]
    public async Task DNS_failures_are_temperror_at_any_depth()
    {
        Assert.Equal(SpfResult.TempError, (await CheckAsync(new FakeDns().Fail("example.org"))).Result);
        var nested = new FakeDns().Txt("example.org", "v=spf1 include:_spf.example.net -all").Fail("_spf.example.net");
        Assert.Equal(SpfResult.TempError, (await CheckAsync(nested)).Result);
        var a = new FakeDns().Txt("example.org", "v=spf1 a:down.example.net -all").Fail("down.example.net");
        Assert.Equal(SpfResult.TempError, (await CheckAsync(a)).Result);
    }

    [Fact]
    public async Task An_include_loop_ends_in_permerror_by_the_lookup_limit()
    {
        var dns = new FakeDns().Txt("example.org", "v=spf1 include:example.org -all");
        Assert.Equal(SpfResult.PermError, (await CheckAsync(dns)).Result);
    }

    [Fact]
    public async Task A_fail_carries_the_domains_explanation()
    {
        var dns = new FakeDns()
            .Txt("example.org", "v=spf1 -all exp=explain.example.org")
            .Txt("explain.example.org", "%{i} is not one of %{d}'s designated mail servers.");
        var outcome = await CheckAsync(dns);
        Assert.Equal(SpfResult.Fail, outcome.Result);
        Assert.Equal("192.0.2.10 is not one of example.org's designated mail servers.", outcome.Explanation);
    }

    [Fact]
    public async Task Mechanisms_after_a_match_are_not_evaluated()
    {
        var dns = new FakeDns().Txt("example.org", "v=spf1 ip4:192.0.2.10 include:never.example.net -all");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(dns)).Result);
        Assert.DoesNotContain(dns.Queries, q => q.Contains("never", StringComparison.Ordinal));
    }
}
