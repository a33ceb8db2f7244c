using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Vigil.Security.MailAuth.Dns;

/// <summary><see cref="IMailDns"/> over DnsClient, against the configured resolvers (or the
/// system's). Errors never throw: they become <see cref="DnsStatus.TempFail"/>.</summary>
public sealed class DnsClientMailDns : IMailDns
{
    private readonly LookupClient _client;

    public DnsClientMailDns(MailAuthOptions options)
    {
        var servers = options.DnsServers.Select(ParseEndPoint).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.Timeout = options.DnsTimeout;
        lookup.Retries = options.DnsRetries;
        lookup.UseCache = options.DnsCache;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        lookup.ContinueOnEmptyResponse = false;
        lookup.UseTcpFallback = true;
        _client = new LookupClient(lookup);
    }

    public async Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) =>
        await QueryAsync(name, QueryType.TXT, r => r.Answers.TxtRecords().Select(t => string.Concat(t.Text)), ct);

    public async Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct) =>
        family == AddressFamily.InterNetworkV6
            ? await QueryAsync(name, QueryType.AAAA, r => r.Answers.AaaaRecords().Select(a => a.Address), ct)
            : await QueryAsync(name, QueryType.A, r => r.Answers.ARecords().Select(a => a.Address), ct);

    public async Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct) =>
        await QueryAsync(name, QueryType.MX, r => r.Answers.MxRecords().OrderBy(m => m.Preference).Select(m => Trim(m.Exchange.Value)), ct);

    public async Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) =>
        await QueryAsync(address.GetArpaName(), QueryType.PTR, r => r.Answers.PtrRecords().Select(p => Trim(p.PtrDomainName.Value)), ct);

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<IDnsQueryResponse, IEnumerable<T>> select, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, ct);
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or TimeoutException or ArgumentException or InvalidOperationException)
        {
            return DnsAnswer<T>.TempFail;
        }
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => new DnsAnswer<T>(DnsStatus.Ok, select(response).ToList()),
            DnsHeaderResponseCode.NotExistentDomain => DnsAnswer<T>.NoSuchName,
            _ => DnsAnswer<T>.TempFail,
        };
    }

    private static string Trim(string name) => name.TrimEnd('.');

    /// <summary>"192.0.2.53" or "192.0.2.53:5353" or "[2001:db8::53]:53".</summary>
    public static IPEndPoint ParseEndPoint(string text) =>
        IPEndPoint.TryParse(text, out var ep) ? (ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep)
        : throw new FormatException($"'{text}' is not a DNS server address (ip or ip:port)");
}
