using Vigil.Core.Domains;
using Vigil.Core.Model;

namespace Vigil.Core.Tests.Outbound;

/// <summary>The records <c>vigil domain dns</c> prints.</summary>
public sealed class DnsRecordSetTests
{
    private static readonly DkimKey Rsa = new(1, "example.test", "rsa202601", DkimAlgorithm.Rsa, "", new string('A', 392), default);
    private static readonly DkimKey Ed = new(2, "example.test", "ed202601", DkimAlgorithm.Ed25519, "", "yd78QmhsStDWQemRwojMqIHTLxclMKqKPEpUe43K2kk=", default);

    [Fact]
    public void Every_kind_of_record_is_there()
    {
        var records = DnsRecordSet.For("example.test", "mail.example.test", [Rsa, Ed], DateTimeOffset.UnixEpoch);
        string Value(string name, string type) => records.Single(r => r.Name == name && r.Type == type).Value;
        Assert.Equal("10 mail.example.test.", Value("example.test", "MX"));
        Assert.StartsWith("v=spf1 ", Value("example.test", "TXT"), StringComparison.Ordinal);
        Assert.Equal("v=DKIM1; k=rsa; p=" + Rsa.PublicKey, Value("rsa202601._domainkey.example.test", "TXT"));
        Assert.Equal("v=DKIM1; k=ed25519; p=" + Ed.PublicKey, Value("ed202601._domainkey.example.test", "TXT"));
        Assert.StartsWith("v=DMARC1; p=", Value("_dmarc.example.test", "TXT"), StringComparison.Ordinal);
        Assert.StartsWith("v=STSv1; id=", Value("_mta-sts.example.test", "TXT"), StringComparison.Ordinal);
        Assert.StartsWith("v=TLSRPTv1; rua=mailto:", Value("_smtp._tls.example.test", "TXT"), StringComparison.Ordinal);
        Assert.Equal("0 1 465 mail.example.test.", Value("_submissions._tcp.example.test", "SRV"));
        Assert.Equal("0 1 587 mail.example.test.", Value("_submission._tcp.example.test", "SRV"));
        Assert.Equal("0 1 993 mail.example.test.", Value("_imaps._tcp.example.test", "SRV"));
        Assert.Equal("0 1 443 mail.example.test.", Value("_autodiscover._tcp.example.test", "SRV"));
        Assert.Equal("mail.example.test.", Value("autoconfig.example.test", "CNAME"));
    }

    [Fact]
    public void Long_txt_values_are_split_into_255_octet_strings_that_join_back()
    {
        var record = DnsRecordSet.For("example.test", "mail.example.test", [Rsa], DateTimeOffset.UnixEpoch).Single(r => r.Name.StartsWith("rsa", StringComparison.Ordinal));
        var line = DnsRecordSet.ToZoneLine(record);
        Assert.StartsWith("rsa202601._domainkey.example.test. IN TXT ( \"", line, StringComparison.Ordinal);
        var strings = System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(strings, s => Assert.True(s.Length <= 255));
        Assert.Equal(record.Value, string.Concat(strings));
    }
}
