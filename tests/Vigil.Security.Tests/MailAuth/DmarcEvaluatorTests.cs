using Vigil.Security.MailAuth.Dkim;
using Vigil.Security.MailAuth.Dmarc;
using Vigil.Security.MailAuth.Spf;
using Vigil.Security.Tests.Support;

namespace Vigil.Security.Tests.MailAuth;

public class DmarcEvaluatorTests
{
    private static readonly SpfOutcome SpfFail = new(SpfResult.Fail, "elsewhere.net");
    private static DkimOutcome Dkim(string domain, string result = "pass") => new(result, domain, "s", null, "abcdefgh", null);

    private static Task<DmarcOutcome> EvaluateAsync(FakeDns dns, string from, SpfOutcome spf, params DkimOutcome[] dkim) =>
        new DmarcEvaluator(dns, () => 0).EvaluateAsync(from, spf, dkim, CancellationToken.None);

    [Fact]
    public async Task Aligned_SPF_or_aligned_DKIM_passes_and_relaxed_alignment_accepts_the_organisation()
    {
        var dns = new FakeDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        Assert.Equal("pass", (await EvaluateAsync(dns, "example.org", new SpfOutcome(SpfResult.Pass, "example.org"))).Result);
        Assert.Equal("pass", (await EvaluateAsync(dns, "example.org", new SpfOutcome(SpfResult.Pass, "bounces.example.org"))).Result);
        Assert.Equal("pass", (await EvaluateAsync(dns, "example.org", SpfFail, Dkim("mail.example.org"))).Result);
        Assert.Equal("pass", (await EvaluateAsync(dns, "news.example.org", SpfFail, Dkim("example.org"))).Result);
    }

    [Fact]
    public async Task Unaligned_or_failing_identifiers_fail_and_the_policy_applies()
    {
        var dns = new FakeDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject; rua=mailto:d@example.org");
        var outcome = await EvaluateAsync(dns, "example.org", new SpfOutcome(SpfResult.Pass, "elsewhere.net"), Dkim("elsewhere.net"), Dkim("example.org", "fail"));
        Assert.Equal("fail", outcome.Result);
        Assert.Equal(DmarcPolicy.Reject, outcome.Disposition);
        Assert.Equal("p=reject", outcome.RequestedPolicy);
        // a look-alike is not the organisation
        Assert.Equal("fail", (await EvaluateAsync(dns, "example.org", SpfFail, Dkim("badexample.org"))).Result);
    }

    [Fact]
    public async Task Strict_alignment_wants_the_exact_name()
    {
        var dns = new FakeDns().Txt("_dmarc.example.org", "v=DMARC1; p=quarantine; adkim=s; aspf=s");
        Assert.Equal("fail", (await EvaluateAsync(dns, "example.org", new SpfOutcome(SpfResult.Pass, "bounces.example.org"), Dkim("mail.example.org"))).Result);
        var exact = await EvaluateAsync(dns, "example.org", SpfFail, Dkim("example.org"));
        Assert.Equal("pass", exact.Result);
    }

    [Fact]
    public async Task A_subdomain_without_its_own_record_takes_the_organisations_sp()
    {
        var dns = new FakeDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject; sp=quarantine");
        var outcome = await EvaluateAsync(dns, "news.example.org", SpfFail);
        Assert.Equal("fail", outcome.Result);
        Assert.Equal(DmarcPolicy.Quarantine, outcome.Disposition);
        Assert.Equal(["TXT _dmarc.news.example.org", "TXT _dmarc.example.org"], dns.Queries); // the walk starts at the From domain
    }

    [Fact]
    public async Task The_tree_walk_is_bounded_and_stops_below_the_top_label()
    {
        var dns = new FakeDns();
        var from = string.Join('.', Enumerable.Range(1, 12).Select(i => "l" + i)) + ".example.org";
        Assert.Equal("none", (await EvaluateAsync(dns, from, SpfFail)).Result);
        Assert.True(dns.Queries.Count <= DmarcEvaluator.MaxTreeWalkQueries, string.Join(", ", dns.Queries));
        var shallow = new FakeDns();
        await EvaluateAsync(shallow, "example.org", SpfFail);
        Assert.Equal(["TXT _dmarc.example.org"], shallow.Queries); // never _dmarc.org
    }

    [Fact]
    public async Task Pct_applies_the_policy_to_a_sample_and_the_milder_one_to_the_rest()
    {
        var dns = new FakeDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject; pct=20");
        Assert.Equal(DmarcPolicy.Reject, (await new DmarcEvaluator(dns, () => 19).EvaluateAsync("example.org", SpfFail, [], CancellationToken.None)).Disposition);
        Assert.Equal(DmarcPolicy.Quarantine, (await new DmarcEvaluator(dns, () => 20).EvaluateAsync("example.org", SpfFail, [], CancellationToken.None)).Disposition);
    }

    [Theory]
    [InlineData("v=DMARC1; p=bogus")]
    [InlineData("v=DMARC2; p=reject")]
    [InlineData("p=reject; v=DMARC1")]
    public async Task Records_without_a_usable_policy_are_ignored(string record)
    {
        var dns = new FakeDns().Txt("_dmarc.example.org", record);
        Assert.Equal("none", (await EvaluateAsync(dns, "example.org", SpfFail)).Result);
    }

    [Fact]
    public async Task Two_records_mean_no_policy_and_DNS_failure_is_temperror()
    {
        var two = new FakeDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject", "v=DMARC1; p=none");
        Assert.Equal("none", (await EvaluateAsync(two, "example.org", SpfFail)).Result);
        var down = new FakeDns().Fail("_dmarc.example.org");
        Assert.Equal("temperror", (await EvaluateAsync(down, "example.org", SpfFail)).Result);
        Assert.Equal("none", (await new DmarcEvaluator(new FakeDns()).EvaluateAsync(null, SpfFail, [], CancellationToken.None)).Result);
    }
}
