using System.Net;
using System.Net.Sockets;
using Vigil.Security.Bans;
using Vigil.Security.MailAuth.Dns;

namespace Vigil.Security.MailAuth.Spf;

/// <summary>check_host() of RFC 7208 §4 with its processing limits (§4.6.4): at most 10
/// mechanisms and modifiers that query DNS (include, a, mx, ptr, exists, redirect) over the whole
/// evaluation, at most 2 void lookups, at most 10 names per MX or PTR answer. Exceeding any of them
/// is a permerror; a DNS failure is a temperror.</summary>
public sealed class SpfEvaluator(IMailDns dns, string receivingDomain, TimeProvider? time = null)
{
    public const int MaxDnsMechanisms = 10;
    public const int MaxVoidLookups = 2;
    public const int MaxNamesPerAnswer = 10;

    /// <summary>Checks the MAIL FROM identity; with the null reverse-path, the HELO identity as
    /// postmaster@helo (§2.4).</summary>
    public async Task<SpfOutcome> CheckAsync(IPAddress client, string mailFrom, string helo, CancellationToken ct)
    {
        var sender = mailFrom.Length > 0 ? mailFrom : "postmaster@" + helo;
        var at = sender.LastIndexOf('@');
        var domain = at < 0 ? "" : sender[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        var state = new State(Networks.Canonical(client), sender, helo);
        try
        {
            // Reported against the identity's domain even when a redirect decided it (for DMARC alignment).
            return await CheckHostAsync(state, domain, ct) with { Domain = domain };
        }
        catch (SpfAbort abort)
        {
            return new SpfOutcome(abort.Result, domain, abort.Message);
        }
    }

    private async Task<SpfOutcome> CheckHostAsync(State state, string domain, CancellationToken ct)
    {
        if (!IsMultiLabelDomain(domain)) return new SpfOutcome(SpfResult.None, domain, "not a domain name");
        var txt = await dns.TxtAsync(domain, ct);
        if (txt.Status == DnsStatus.TempFail) throw new SpfAbort(SpfResult.TempError, $"DNS failure looking up {domain}");
        if (txt.Status == DnsStatus.NoSuchName) return new SpfOutcome(SpfResult.None, domain, "no such domain");
        var records = txt.Records.Where(SpfRecord.IsSpf).ToList();
        if (records.Count == 0) return new SpfOutcome(SpfResult.None, domain, "no SPF record");
        if (records.Count > 1) throw new SpfAbort(SpfResult.PermError, $"{domain} publishes {records.Count} SPF records");
        if (!SpfRecord.TryParse(records[0], out var record, out var error)) throw new SpfAbort(SpfResult.PermError, $"{domain}: {error}");

        var context = new SpfMacro.Context(state.Sender, domain, state.Client, state.Helo, receivingDomain, (time ?? TimeProvider.System).GetUtcNow());
        foreach (var directive in record.Directives)
        {
            if (directive.CountsAsLookup) state.CountLookup();
            if (!await MatchesAsync(state, directive, context, ct)) continue;
            if (directive.Qualifier != SpfResult.Fail) return new SpfOutcome(directive.Qualifier, domain, $"matched {directive.Mechanism.ToString().ToLowerInvariant()}");
            return new SpfOutcome(SpfResult.Fail, domain, $"matched {directive.Mechanism.ToString().ToLowerInvariant()}", await ExplainAsync(record, context, ct));
        }
        if (record.Redirect is { } redirect)
        {
            state.CountLookup();
            var target = ExpandDomain(redirect, context);
            var result = await CheckHostAsync(state, target, ct);
            // §6.1: a redirect to a domain without an SPF record is a permerror.
            return result.Result == SpfResult.None ? throw new SpfAbort(SpfResult.PermError, $"redirect to {target}, which has no SPF record") : result;
        }
        return new SpfOutcome(SpfResult.Neutral, domain, "no mechanism matched");
    }

    private async Task<bool> MatchesAsync(State state, SpfDirective d, SpfMacro.Context context, CancellationToken ct)
    {
        switch (d.Mechanism)
        {
            case SpfMechanism.All:
                return true;
            case SpfMechanism.Ip4 or SpfMechanism.Ip6:
                return d.Network!.Value.Contains(state.Client);
            case SpfMechanism.Include:
            {
                var target = ExpandDomain(d.DomainSpec!, context);
                var inner = await CheckHostAsync(state, target, ct);
                // §5.2: pass matches; fail, softfail, neutral do not; errors propagate; none is a permerror.
                return inner.Result switch
                {
                    SpfResult.Pass => true,
                    SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => false,
                    SpfResult.TempError => throw new SpfAbort(SpfResult.TempError, inner.Problem ?? "temporary error in include"),
                    _ => throw new SpfAbort(SpfResult.PermError, $"include:{target}: {inner.Problem ?? inner.Keyword}"),
                };
            }
            case SpfMechanism.A:
            {
                var target = d.DomainSpec is null ? context.Domain : ExpandDomain(d.DomainSpec, context);
                return await AnyAddressMatchesAsync(state, target, d, ct);
            }
            case SpfMechanism.Mx:
            {
                var target = d.DomainSpec is null ? context.Domain : ExpandDomain(d.DomainSpec, context);
                var mx = await LookupAsync(state, dns.MxAsync(target, ct), target);
                if (mx.Records.Count > MaxNamesPerAnswer) throw new SpfAbort(SpfResult.PermError, $"{target} has more than {MaxNamesPerAnswer} MX records");
                foreach (var host in mx.Records)
                {
                    if (await AnyAddressMatchesAsync(state, host, d, ct)) return true;
                }
                return false;
            }
            case SpfMechanism.Ptr:
                return await PtrMatchesAsync(state, d.DomainSpec is null ? context.Domain : ExpandDomain(d.DomainSpec, context), ct);
            case SpfMechanism.Exists:
            {
                // §5.7: always an A query, whatever the client's address family.
                var target = ExpandDomain(d.DomainSpec!, context);
                var a = await LookupAsync(state, dns.AddressesAsync(target, AddressFamily.InterNetwork, ct), target);
                return a.Records.Count > 0;
            }
        }
        return false;
    }

    private async Task<bool> AnyAddressMatchesAsync(State state, string name, SpfDirective d, CancellationToken ct)
    {
        var v6 = state.Client.AddressFamily == AddressFamily.InterNetworkV6;
        var answer = await LookupAsync(state, dns.AddressesAsync(name, v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, ct), name);
        var prefix = v6 ? d.Cidr6 : d.Cidr4;
        return answer.Records.Any(a => Networks.Mask(a, prefix).Contains(state.Client));
    }

    /// <summary>§5.5: validated names of the client (PTR names whose forward lookup gives the client
    /// back), at most 10 considered; matches when one is the target or below it.</summary>
    private async Task<bool> PtrMatchesAsync(State state, string target, CancellationToken ct)
    {
        var ptr = await dns.PtrAsync(state.Client, ct);
        if (ptr.Status != DnsStatus.Ok) return false; // §5.5: a failed PTR lookup is just no match
        var family = state.Client.AddressFamily;
        foreach (var name in ptr.Records.Take(MaxNamesPerAnswer))
        {
            if (!name.Equals(target, StringComparison.OrdinalIgnoreCase) && !name.EndsWith("." + target, StringComparison.OrdinalIgnoreCase)) continue;
            var forward = await dns.AddressesAsync(name, family, ct);
            if (forward.Records.Contains(state.Client)) return true;
        }
        return false;
    }

    private static async Task<DnsAnswer<T>> LookupAsync<T>(State state, Task<DnsAnswer<T>> query, string name)
    {
        var answer = await query;
        if (answer.Status == DnsStatus.TempFail) throw new SpfAbort(SpfResult.TempError, $"DNS failure looking up {name}");
        if (answer.IsVoid) state.CountVoid();
        return answer;
    }

    /// <summary>§6.2: the explanation for a fail, best effort; any problem just means none.</summary>
    private async Task<string?> ExplainAsync(SpfRecord record, SpfMacro.Context context, CancellationToken ct)
    {
        if (record.Explanation is null || !SpfMacro.TryExpandDomain(record.Explanation, context, out var name)) return null;
        var txt = await dns.TxtAsync(name, ct);
        if (txt.Status != DnsStatus.Ok || txt.Records.Count != 1) return null;
        return SpfMacro.TryExpandExplanation(txt.Records[0], context, out var text) ? new string(text.Where(c => c is >= ' ' and < (char)127).Take(200).ToArray()) : null;
    }

    private static string ExpandDomain(string spec, SpfMacro.Context context) =>
        SpfMacro.TryExpandDomain(spec, context, out var domain) ? domain : throw new SpfAbort(SpfResult.PermError, $"bad macro in '{spec}'");

    /// <summary>§4.3: a name with at least two labels, none empty or over 63 octets.</summary>
    private static bool IsMultiLabelDomain(string domain)
    {
        if (domain.Length is 0 or > 253) return false;
        var labels = domain.Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63);
    }

    private sealed class State(IPAddress client, string sender, string helo)
    {
        private int _lookups;
        private int _voids;
        public IPAddress Client { get; } = client;
        public string Sender { get; } = sender;
        public string Helo { get; } = helo;

        public void CountLookup()
        {
            if (++_lookups > MaxDnsMechanisms) throw new SpfAbort(SpfResult.PermError, $"more than {MaxDnsMechanisms} DNS-querying mechanisms");
        }

        public void CountVoid()
        {
            if (++_voids > MaxVoidLookups) throw new SpfAbort(SpfResult.PermError, $"more than {MaxVoidLookups} void DNS lookups");
        }
    }

    /// <summary>Ends the evaluation with temperror or permerror from any depth.</summary>
    private sealed class SpfAbort(SpfResult result, string message) : Exception(message)
    {
        public SpfResult Result { get; } = result;
    }
}
