using System.Globalization;
using System.Text;
using Vigil.Core.Model;

namespace Vigil.Core.Domains;

/// <summary>Every DNS record an admin publishes for a hosted domain, in zone-file syntax:
/// MX, SPF (RFC 7208), DKIM (RFC 6376, RFC 8463), DMARC (RFC 7489), MTA-STS (RFC 8461),
/// TLS-RPT (RFC 8460), client SRV records (RFC 6186, RFC 8314) and the autoconfig/autodiscover
/// names mail clients probe.</summary>
public static class DnsRecordSet
{
    public static IReadOnlyList<DnsRecord> For(string domain, string mailHost, IReadOnlyList<DkimKey> dkimKeys, DateTimeOffset now)
    {
        var host = mailHost.TrimEnd('.') + ".";
        var records = new List<DnsRecord>
        {
            new(domain, "MX", $"10 {host}", "Mail for the domain goes to this server."),
            new(domain, "TXT", $"v=spf1 mx a:{mailHost} -all", "SPF: only this server (the domain's MX) sends the domain's mail."),
        };
        foreach (var key in dkimKeys)
        {
            records.Add(new(DkimRecord.Name(key), "TXT", DkimRecord.Value(key), $"DKIM {key.Algorithm} public key (selector {key.Selector})."));
        }
        records.Add(new($"_dmarc.{domain}", "TXT", $"v=DMARC1; p=quarantine; adkim=r; aspf=r; rua=mailto:postmaster@{domain}",
            "DMARC: receivers quarantine mail that fails both SPF and DKIM alignment and send aggregate reports to postmaster."));
        records.Add(new($"_mta-sts.{domain}", "TXT", $"v=STSv1; id={now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}",
            $"MTA-STS: change id whenever the policy changes. Serve the policy at https://mta-sts.{domain}/.well-known/mta-sts.txt:  version: STSv1 / mode: testing / mx: {mailHost} / max_age: 604800"));
        records.Add(new($"mta-sts.{domain}", "CNAME", host, "Web host that serves the MTA-STS policy (needs a certificate for this name)."));
        records.Add(new($"_smtp._tls.{domain}", "TXT", $"v=TLSRPTv1; rua=mailto:postmaster@{domain}", "TLS-RPT: where senders report TLS failures."));
        records.Add(new($"_submissions._tcp.{domain}", "SRV", $"0 1 465 {host}", "Mail submission over implicit TLS (RFC 8314)."));
        records.Add(new($"_submission._tcp.{domain}", "SRV", $"0 1 587 {host}", "Mail submission with STARTTLS (RFC 6186)."));
        records.Add(new($"_imaps._tcp.{domain}", "SRV", $"0 1 993 {host}", "IMAP over implicit TLS."));
        records.Add(new($"_imap._tcp.{domain}", "SRV", $"10 1 143 {host}", "IMAP with STARTTLS."));
        records.Add(new($"_pop3s._tcp.{domain}", "SRV", $"0 1 995 {host}", "POP3 over implicit TLS."));
        records.Add(new($"_autodiscover._tcp.{domain}", "SRV", $"0 1 443 {host}", "Outlook autodiscover."));
        records.Add(new($"autoconfig.{domain}", "CNAME", host, "Thunderbird autoconfig."));
        records.Add(new($"autodiscover.{domain}", "CNAME", host, "Outlook autodiscover."));
        return records;
    }

    /// <summary>One record as a zone-file line; TXT values longer than 255 octets are split into
    /// several character-strings (RFC 1035 §3.3.14; RFC 7208 §3.3 and RFC 6376 §3.6.2.2 say the
    /// strings are joined without spaces).</summary>
    public static string ToZoneLine(DnsRecord record)
    {
        var name = record.Name.TrimEnd('.') + ".";
        if (record.Type != "TXT") return $"{name} IN {record.Type} {record.Value}";
        var sb = new StringBuilder();
        sb.Append(name).Append(" IN TXT ");
        var chunks = Chunk(record.Value, 255).ToList();
        if (chunks.Count > 1) sb.Append("( ");
        sb.Append(string.Join(" ", chunks.Select(c => "\"" + c.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")));
        if (chunks.Count > 1) sb.Append(" )");
        return sb.ToString();
    }

    private static IEnumerable<string> Chunk(string value, int size)
    {
        for (var i = 0; i < value.Length; i += size) yield return value.Substring(i, Math.Min(size, value.Length - i));
    }
}

/// <summary>A DNS record to publish, with a line explaining it.</summary>
public sealed record DnsRecord(string Name, string Type, string Value, string Purpose);
