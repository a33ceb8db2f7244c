using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Finds where mail for a domain goes (RFC 5321 §5.1): its MX hosts in preference order
/// (equal preferences shuffled), the domain itself when it has no MX (implicit MX), nowhere when
/// it publishes a null MX (RFC 7505) or does not exist. Every lookup uses the configured resolver,
/// never the system one, so a test or a split-horizon setup sees the same answers.</summary>
public sealed class MxResolver(ILookupClient dns)
{
    public static ILookupClient CreateClient(string? server, TimeSpan timeout)
    {
        var options = server is null
            ? new LookupClientOptions()
            : new LookupClientOptions(ParseServer(server));
        options.Timeout = timeout;
        options.Retries = 2;
        options.UseCache = true;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = true;
        options.ContinueOnEmptyResponse = false;
        return new LookupClient(options);
    }

    /// <summary>"127.0.0.1", "127.0.0.1:5353", "[::1]:5353".</summary>
    public static IPEndPoint ParseServer(string server)
    {
        if (IPEndPoint.TryParse(server, out var endPoint))
        {
            if (endPoint.Port == 0) endPoint.Port = 53;
            return endPoint;
        }
        throw new FormatException($"'{server}' is not a DNS server address (address or address:port).");
    }

    public async Task<MxLookup> LookupMxAsync(string domain, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try
        {
            response = await dns.QueryAsync(domain, QueryType.MX, QueryClass.IN, ct);
        }
        catch (DnsResponseException ex)
        {
            return MxLookup.Temporary($"MX lookup for {domain} failed: {ex.Message}");
        }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) return MxLookup.NoSuchDomain(domain);
        if (response.HasError) return MxLookup.Temporary($"MX lookup for {domain} failed: {response.ErrorMessage}");

        var records = response.Answers.MxRecords().ToList();
        if (records.Count == 0) return MxLookup.Found([new MxHost(domain, 0)]); // §5.1 implicit MX
        // RFC 7505 §3: a single MX with an empty (root) exchange means "this domain takes no mail".
        if (records.Count == 1 && records[0].Exchange.Value is "." or "") return MxLookup.NullMx(domain);
        var hosts = records
            .Where(r => r.Exchange.Value is not ("." or ""))
            .GroupBy(r => r.Preference)
            .OrderBy(g => g.Key)
            .SelectMany(g => g.OrderBy(_ => Random.Shared.Next()))
            .Select(r => new MxHost(r.Exchange.Value.TrimEnd('.'), r.Preference))
            .ToList();
        return MxLookup.Found(hosts);
    }

    /// <summary>The host's IPv4 then IPv6 addresses; an IP literal is returned as is.</summary>
    public async Task<AddressLookup> LookupAddressesAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return new AddressLookup([literal], null, false);
        var addresses = new List<IPAddress>();
        string? error = null;
        var temporary = false;
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            try
            {
                var response = await dns.QueryAsync(host, type, QueryClass.IN, ct);
                if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
                {
                    error = $"host {host} not found";
                    break;
                }
                if (response.HasError)
                {
                    temporary = true;
                    error = $"{type} lookup for {host} failed: {response.ErrorMessage}";
                    continue;
                }
                addresses.AddRange(response.Answers.OfType<AddressRecord>().Select(a => a.Address));
            }
            catch (DnsResponseException ex)
            {
                temporary = true;
                error = $"{type} lookup for {host} failed: {ex.Message}";
            }
        }
        if (addresses.Count == 0 && error is null) error = $"host {host} has no address records";
        return new AddressLookup(addresses, addresses.Count > 0 ? null : error, addresses.Count == 0 && temporary);
    }
}

/// <summary>One MX host with its preference.</summary>
public sealed record MxHost(string Name, int Preference)
{
    public override string ToString() => $"{Name} (preference {Preference.ToString(CultureInfo.InvariantCulture)})";
}

/// <summary>The outcome of an MX lookup.</summary>
public sealed record MxLookup(MxLookupKind Kind, IReadOnlyList<MxHost> Hosts, string? Error)
{
    public static MxLookup Found(IReadOnlyList<MxHost> hosts) => new(MxLookupKind.Found, hosts, null);
    public static MxLookup Temporary(string error) => new(MxLookupKind.TemporaryFailure, [], error);
    public static MxLookup NoSuchDomain(string domain) => new(MxLookupKind.NoSuchDomain, [], $"domain {domain} does not exist");
    public static MxLookup NullMx(string domain) => new(MxLookupKind.NullMx, [], $"domain {domain} does not accept mail (null MX, RFC 7505)");
}

/// <summary>The class of an MX lookup outcome.</summary>
public enum MxLookupKind
{
    Found,
    TemporaryFailure,
    NoSuchDomain,
    NullMx,
}

/// <summary>The addresses of one host; <see cref="IsTemporary"/> when none were found because of a DNS failure.</summary>
public sealed record AddressLookup(IReadOnlyList<IPAddress> Addresses, string? Error, bool IsTemporary);
