using Vigil.Security.MailAuth.Dkim;
using Vigil.Security.MailAuth.Dns;
using Vigil.Security.MailAuth.Spf;

namespace Vigil.Security.MailAuth.Dmarc;

/// <summary>DMARC (RFC 7489): finds the From domain's policy, checks identifier alignment of SPF
/// and DKIM, and says which policy applies. The Organizational Domain is found without a public
/// suffix list, by the DNS tree walk of DMARCbis (draft-ietf-dmarc-dmarcbis §4.10): the shortest
/// ancestor of the From domain that publishes a DMARC record (public-suffix records, psd=y, do
/// not count). At most <see cref="MaxTreeWalkQueries"/> DMARC lookups per message.</summary>
public sealed class DmarcEvaluator(IMailDns dns, Func<int>? percentRoll = null)
{
    public const int MaxTreeWalkQueries = 8;

    public async Task<DmarcOutcome> EvaluateAsync(string? fromDomain, SpfOutcome spf, IReadOnlyList<DkimOutcome> dkim, CancellationToken ct)
    {
        if (fromDomain is null) return new DmarcOutcome("none", "", null, "no single RFC5322.From domain");
        var own = await LookupAsync(fromDomain, ct);
        if (own.Status == DnsStatus.TempFail) return new DmarcOutcome("temperror", fromDomain, null, "DNS failure");
        var found = own.Record;
        var foundAt = fromDomain;
        var organization = fromDomain;
        var labels = fromDomain.Split('.');
        // Walk up from the parent: the policy comes from the nearest record, the Organizational
        // Domain is the farthest one (fewest labels, at least two).
        var queries = 1;
        for (var i = 1; i <= labels.Length - 2 && queries < MaxTreeWalkQueries; i++, queries++)
        {
            var ancestor = string.Join('.', labels[i..]);
            var parent = await LookupAsync(ancestor, ct);
            if (parent.Status == DnsStatus.TempFail)
            {
                if (found is null) return new DmarcOutcome("temperror", fromDomain, null, "DNS failure");
                break;
            }
            if (parent.Record is not { PublicSuffix: false } record) continue;
            organization = ancestor;
            if (found is null)
            {
                found = record;
                foundAt = ancestor;
            }
        }
        if (found is null) return new DmarcOutcome("none", fromDomain, null, "no DMARC record");

        var spfAligned = spf.Result == SpfResult.Pass && Aligned(spf.Domain, fromDomain, organization, found.StrictSpf);
        var dkimAligned = dkim.Any(d => d.Passed && Aligned(d.Domain, fromDomain, organization, found.StrictDkim));
        // §6.6.3: a subdomain's mail takes sp= of the organisation's record when it has no record of its own.
        var requested = foundAt != fromDomain && found.SubdomainPolicy is { } sp ? sp : found.Policy;
        var policyText = $"p={requested.ToString().ToLowerInvariant()}";
        if (spfAligned || dkimAligned) return new DmarcOutcome("pass", fromDomain, DmarcPolicy.None, null, policyText);
        return new DmarcOutcome("fail", fromDomain, Sample(requested, found.Percent), "neither SPF nor DKIM passed aligned with the From domain", policyText);
    }

    /// <summary>§3.1: strict = the same name; relaxed = the same Organizational Domain.</summary>
    private static bool Aligned(string domain, string fromDomain, string organization, bool strict)
    {
        domain = domain.ToLowerInvariant().TrimEnd('.');
        if (domain == fromDomain) return true;
        return !strict && (domain == organization || domain.EndsWith("." + organization, StringComparison.Ordinal));
    }

    /// <summary>§6.6.4: pct=N applies the policy to N% of failing mail and the next milder one to the rest.</summary>
    private DmarcPolicy Sample(DmarcPolicy policy, int percent)
    {
        if (percent >= 100 || policy == DmarcPolicy.None) return policy;
        var roll = percentRoll?.Invoke() ?? Random.Shared.Next(100);
        if (roll < percent) return policy;
        return policy == DmarcPolicy.Reject ? DmarcPolicy.Quarantine : DmarcPolicy.None;
    }

    private async Task<(DnsStatus Status, DmarcRecord? Record)> LookupAsync(string domain, CancellationToken ct)
    {
        var txt = await dns.TxtAsync("_dmarc." + domain, ct);
        if (txt.Status == DnsStatus.TempFail) return (DnsStatus.TempFail, null);
        var records = txt.Records.Where(DmarcRecord.IsDmarc).ToList();
        // §6.6.3: more than one record, or none usable, means no policy here.
        return records.Count == 1 && DmarcRecord.TryParse(records[0], out var record) ? (DnsStatus.Ok, record) : (txt.Status, null);
    }
}

/// <summary>The DMARC verdict: result keyword, From domain, the policy to apply on fail (after
/// pct sampling) and the policy the domain asked for, for the Authentication-Results comment.</summary>
public sealed record DmarcOutcome(string Result, string FromDomain, DmarcPolicy? Disposition, string? Problem, string? RequestedPolicy = null);
