using System.Net;
using System.Text;
using Vigil.Core.Delivery;
using Vigil.Security.MailAuth;
using Vigil.Security.MailAuth.Dkim;
using Vigil.Security.MailAuth.Dmarc;
using Vigil.Security.MailAuth.Spf;

namespace Vigil.Fuzz.Tests;

/// <summary>What sender authentication parses from DNS and from message headers, all attacker
/// controlled: SPF records and macros, DMARC records, DKIM tags, Authentication-Results fields,
/// and the header filter that removes forged ones.</summary>
public sealed class MailAuthFuzzTests
{
    private static readonly IReadOnlyList<byte[]> Dictionary = MutationFuzzer.Tokens(
        "v=spf1 ", "v=DMARC1; ", "v=DKIM1; ", "include:", "redirect=", "exp=", "ip4:", "ip6:", "a:", "mx:", "ptr", "exists:", "all", "-all", "~all",
        "/24", "//64", "%{", "}", "%{ir}", "%{d2}", "%{l-}", "%{s}", "%%", "%_", "%-", "p=reject", "sp=quarantine", "pct=", "adkim=s", "aspf=r", "psd=y",
        "d=", "s=", "b=", "a=rsa-sha256", "; ", "Authentication-Results:", " mail.example.test;", "\r\n\t", "\r\n\r\n", "(", ")", "\"");

    private static readonly SpfMacro.Context Context = new("alice@example.org", "example.org", IPAddress.Parse("2001:db8::1"), "mx.example.org", "mail.example.test", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Spf_record_and_macro_parsers_survive_anything()
    {
        FuzzRunner.Run("spf-record", Dictionary, input =>
        {
            var text = Encoding.UTF8.GetString(input);
            if (SpfRecord.TryParse(text, out var record, out _)) Assert.NotNull(record.Directives);
            if (SpfMacro.IsValidMacroString(text) && SpfMacro.TryExpandDomain(text, Context, out var domain)) Assert.True(domain.Length <= 253);
            SpfMacro.TryExpandExplanation(text, Context, out _);
        });
    }

    [Fact]
    public void Dmarc_and_dkim_tag_parsers_survive_anything()
    {
        FuzzRunner.Run("dmarc-record", Dictionary, input =>
        {
            var text = Encoding.UTF8.GetString(input);
            if (DmarcRecord.TryParse(text, out var record)) Assert.InRange(record.Percent, 0, 100);
            DkimTags.Parse(text);
        });
    }

    [Fact]
    public void Forged_results_filter_keeps_every_other_byte()
    {
        var claims = AuthenticationResultsField.ClaimsToBeFrom("mail.example.test");
        FuzzRunner.Run("header-filter", Dictionary, input =>
        {
            Assert.True(Filter(input, _ => false).AsSpan().SequenceEqual(input), "with nothing to remove, the copy is exact");
            var filtered = Filter(input, claims);
            Assert.True(filtered.Length <= input.Length);
            // Whatever was removed was a whole field claiming our name.
            if (filtered.Length < input.Length) Assert.Contains("mail.example.test", Encoding.Latin1.GetString(input), StringComparison.OrdinalIgnoreCase);
        });
    }

    private static byte[] Filter(byte[] input, Func<ReadOnlyMemory<byte>, bool> remove)
    {
        var output = new MemoryStream();
        HeaderFieldFilter.CopyAsync(new MemoryStream(input), remove, (b, _) => { output.Write(b.Span); return ValueTask.CompletedTask; }, CancellationToken.None).GetAwaiter().GetResult();
        return output.ToArray();
    }
}
