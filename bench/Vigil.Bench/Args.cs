using System.Globalization;
using System.Net;

namespace Vigil.Bench;

/// <summary>"--name value" options of one bench command; unknown or missing options are errors.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        string? key = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (key is not null) _values[key] = "true";
                key = a[2..];
            }
            else if (key is not null)
            {
                _values[key] = a;
                key = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{a}'");
            }
        }
        if (key is not null) _values[key] = "true";
    }

    public string Get(string name) => Opt(name) ?? throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => Opt(name) ?? fallback;

    public string? Opt(string name)
    {
        _used.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public int Int(string name, int fallback) => Opt(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => Opt(name) == "true";

    public IPEndPoint EndPoint(string name) => IPEndPoint.Parse(Get(name));

    /// <summary>"127.0.0.2-127.0.0.51" or "127.0.0.1": a range of IPv4 source addresses.</summary>
    public IReadOnlyList<IPAddress> Sources(string name)
    {
        var spec = Opt(name);
        if (spec is null) return [];
        var parts = spec.Split('-');
        var first = IPAddress.Parse(parts[0]).GetAddressBytes();
        var last = parts.Length > 1 ? IPAddress.Parse(parts[1]).GetAddressBytes() : first;
        var list = new List<IPAddress>();
        for (int b = first[3]; b <= last[3]; b++) list.Add(new IPAddress([first[0], first[1], first[2], (byte)b]));
        return list;
    }

    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException("unknown option(s): " + string.Join(", ", unknown.Select(k => "--" + k)));
    }
}
