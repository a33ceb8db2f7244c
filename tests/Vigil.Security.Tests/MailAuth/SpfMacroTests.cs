using System.Net;
using Vigil.Security.MailAuth.Spf;

namespace Vigil.Security.Tests.MailAuth;

/// <summary>The examples of RFC 7208 §7.4, byte for byte.</summary>
public class SpfMacroTests
{
    private static readonly SpfMacro.Context V4 = new("strong-bad@email.example.com", "email.example.com", IPAddress.Parse("192.0.2.3"), "mx.example.org", "mail.example.test", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private static readonly SpfMacro.Context V6 = V4 with { Ip = IPAddress.Parse("2001:db8::cb01") };

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%{h}.%%.%_x", "mx.example.org.%. x")]
    public void Rfc7208_section_7_4_examples(string macro, string expected)
    {
        Assert.True(SpfMacro.TryExpandExplanation(macro, V4, out var result));
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Rfc7208_section_7_4_IPv6_example()
    {
        Assert.True(SpfMacro.TryExpandDomain("%{ir}.%{v}._spf.%{d2}", V6, out var result));
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", result);
    }

    [Fact]
    public void Uppercase_macros_are_url_escaped_and_exp_only_letters_are_refused_in_domains()
    {
        var ctx = V4 with { Sender = "a b/c@email.example.com" };
        Assert.True(SpfMacro.TryExpandExplanation("%{L}", ctx, out var escaped));
        Assert.Equal("a%20b%2Fc", escaped);
        Assert.True(SpfMacro.TryExpandExplanation("%{c} %{r} %{t}", V4, out var exp));
        Assert.Equal("192.0.2.3 mail.example.test 1700000000", exp);
        Assert.False(SpfMacro.TryExpandDomain("%{c}.example.com", V4, out _));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%x")]
    [InlineData("%{")]
    [InlineData("%{}")]
    [InlineData("%{q}")]
    [InlineData("%{d0}")]
    [InlineData("%{d2x}")]
    [InlineData("a b")]
    public void Bad_macro_strings_are_refused(string macro) => Assert.False(SpfMacro.IsValidMacroString(macro));

    [Fact]
    public void Long_expansions_are_cut_from_the_left_to_253_characters()
    {
        var ctx = V4 with { Sender = new string('a', 60) + "." + new string('b', 60) + "." + new string('c', 60) + "." + new string('d', 60) + "@x.example.com" };
        Assert.True(SpfMacro.TryExpandDomain("%{l}.%{l}.example.com", ctx, out var domain));
        Assert.True(domain.Length <= 253);
        Assert.EndsWith(".example.com", domain, StringComparison.Ordinal);
        Assert.False(domain.StartsWith('.'));
    }
}
