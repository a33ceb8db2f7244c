using System.Net;
using System.Net.Sockets;
using Vigil.Security.MailAuth.Dns;

namespace Vigil.Security.Tests.Support;

/// <summary>An in-memory zone behind <see cref="IMailDns"/>: names not added are NXDOMAIN, names
/// added without records of a type answer NODATA, names marked failing answer SERVFAIL.</summary>
public sealed class FakeDns : IMailDns
{
    private readonly Dictionary<string, List<string>> _txt = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<IPAddress>> _addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _mx = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _ptr = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Queries { get; } = [];

    public FakeDns Txt(string name, params string[] values) => Add(_txt, name, values);
    public FakeDns A(string name, params string[] addresses) => Add(_addresses, name, addresses.Select(IPAddress.Parse).ToArray());
    public FakeDns Mx(string name, params string[] hosts) => Add(_mx, name, hosts);
    public FakeDns Ptr(string address, params string[] names) => Add(_ptr, IPAddress.Parse(address).GetArpaName(), names);
    public FakeDns Exists(string name) { _names.Add(name); return this; }
    public FakeDns Fail(string name) { _failing.Add(name); return this; }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => Answer(_txt, name, "TXT", _ => true);

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct) =>
        Answer(_addresses, name, family == AddressFamily.InterNetwork ? "A" : "AAAA", a => a.AddressFamily == family);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct) => Answer(_mx, name, "MX", _ => true);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => Answer(_ptr, address.GetArpaName(), "PTR", _ => true);

    private FakeDns Add<T>(Dictionary<string, List<T>> table, string name, T[] values)
    {
        _names.Add(name);
        if (!table.TryGetValue(name, out var list)) table[name] = list = [];
        list.AddRange(values);
        return this;
    }

    private Task<DnsAnswer<T>> Answer<T>(Dictionary<string, List<T>> table, string name, string type, Func<T, bool> keep)
    {
        lock (Queries) Queries.Add($"{type} {name}");
        if (_failing.Contains(name)) return Task.FromResult(DnsAnswer<T>.TempFail);
        if (!_names.Contains(name)) return Task.FromResult(DnsAnswer<T>.NoSuchName);
        return Task.FromResult(new DnsAnswer<T>(DnsStatus.Ok, table.TryGetValue(name, out var list) ? list.Where(keep).ToList() : []));
    }
}
