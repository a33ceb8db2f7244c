using System.Net;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Routing;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Turns a destination domain into the ordered list of addresses to try: the route's
/// smart host, or the domain's MX hosts by preference with their addresses. Failures that no
/// connection can fix are decided here: unknown domain, null MX, MX pointing back at us.</summary>
public sealed class DeliveryPlanner(RouteTable routes, MxResolver dns, OutboundOptions options)
{
    /// <summary>Postfix's smtp_mx_address_limit: more addresses than this are not worth waiting for.</summary>
    private const int MaxAddresses = 10;

    public async Task<DeliveryPlan> PlanAsync(string domain, CancellationToken ct)
    {
        var route = await routes.FindAsync(domain, ct);
        if (route.IsSmartHost)
        {
            var lookup = await dns.LookupAddressesAsync(route.Host!, ct);
            return lookup.Addresses.Count == 0
                ? DeliveryPlan.Deferred(route, "4.4.3", $"relay host {route.Host}: {lookup.Error}")
                : new DeliveryPlan(route, lookup.Addresses.Take(MaxAddresses).Select(a => new Candidate(route.Host!, a, route.Port)).ToList(), null);
        }

        var mx = await dns.LookupMxAsync(domain, ct);
        switch (mx.Kind)
        {
            case MxLookupKind.NoSuchDomain: return DeliveryPlan.Failed(route, "5.1.2", mx.Error!);
            case MxLookupKind.NullMx: return DeliveryPlan.Failed(route, "5.1.10", mx.Error!); // RFC 7505 §4.1
            case MxLookupKind.TemporaryFailure: return DeliveryPlan.Deferred(route, "4.4.3", mx.Error!);
        }

        var hosts = WithoutSelf(mx.Hosts);
        if (hosts.Count == 0) return DeliveryPlan.Failed(route, "5.4.6", $"mail for {domain} loops back to myself ({options.Hostname} is its best MX)");
        var candidates = new List<Candidate>();
        var temporary = false;
        string? lastError = null;
        foreach (var host in hosts)
        {
            if (candidates.Count >= MaxAddresses) break;
            var addresses = await dns.LookupAddressesAsync(host.Name, ct);
            temporary |= addresses.IsTemporary;
            lastError = addresses.Error ?? lastError;
            candidates.AddRange(addresses.Addresses.Select(a => new Candidate(host.Name, a, options.SmtpPort)));
        }
        if (candidates.Count > 0) return new DeliveryPlan(route, candidates.Take(MaxAddresses).ToList(), null);
        return temporary
            ? DeliveryPlan.Deferred(route, "4.4.3", $"no address for any MX host of {domain}: {lastError}")
            : DeliveryPlan.Failed(route, "5.4.4", $"no MX host of {domain} has an address: {lastError}");
    }

    /// <summary>RFC 5321 §5.1: when this host is itself an MX of the domain, only hosts with a
    /// strictly lower preference value may be tried; the rest would send the mail back here.</summary>
    private List<MxHost> WithoutSelf(IReadOnlyList<MxHost> hosts)
    {
        var self = hosts.FirstOrDefault(h => h.Name.Equals(options.Hostname, StringComparison.OrdinalIgnoreCase));
        return self is null ? hosts.ToList() : hosts.Where(h => h.Preference < self.Preference).ToList();
    }
}

/// <summary>Where one job's mail goes: addresses in order, or a failure decided before connecting.</summary>
public sealed record DeliveryPlan(Route Route, IReadOnlyList<Candidate> Candidates, RecipientVerdict? Verdict)
{
    public static DeliveryPlan Failed(Route route, string status, string text) => new(route, [], new RecipientVerdict(AttemptOutcome.Failed, status, text));
    public static DeliveryPlan Deferred(Route route, string status, string text) => new(route, [], new RecipientVerdict(AttemptOutcome.Deferred, status, text));
}

/// <summary>One address of one host to connect to.</summary>
public sealed record Candidate(string Host, IPAddress Address, int Port)
{
    public override string ToString() => $"{Host}[{Address}]:{Port}";
}

/// <summary>A verdict that applies to every recipient of a job.</summary>
public sealed record RecipientVerdict(AttemptOutcome Outcome, string Status, string Text);
