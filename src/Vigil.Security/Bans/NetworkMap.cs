using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Security.Bans;

/// <summary>Networks with a value each, looked up by address: one hash probe per prefix length in
/// use, so thousands of /32 and /64 auto-bans cost the same per accepted connection as one.</summary>
public sealed class NetworkMap<T>
{
    private readonly ConcurrentDictionary<IPNetwork, T> _entries = new();
    // How many entries use each prefix length, per family (index = prefix length).
    private readonly int[] _v4Prefixes = new int[33];
    private readonly int[] _v6Prefixes = new int[129];
    private readonly Lock _gate = new();

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<IPNetwork, T>> Entries => _entries;

    public void Set(IPNetwork network, T value)
    {
        lock (_gate)
        {
            if (_entries.TryAdd(network, value)) Counts(network)[network.PrefixLength]++;
            else _entries[network] = value;
        }
    }

    public bool Remove(IPNetwork network)
    {
        lock (_gate)
        {
            if (!_entries.TryRemove(network, out _)) return false;
            Counts(network)[network.PrefixLength]--;
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            Array.Clear(_v4Prefixes);
            Array.Clear(_v6Prefixes);
        }
    }

    public bool TryGet(IPNetwork network, out T value) => _entries.TryGetValue(network, out value!);

    /// <summary>Finds the most specific network containing <paramref name="address"/>.</summary>
    public bool TryFind(IPAddress address, out IPNetwork network, out T value)
    {
        var a = Networks.Canonical(address);
        var counts = a.AddressFamily == AddressFamily.InterNetwork ? _v4Prefixes : _v6Prefixes;
        for (var prefix = counts.Length - 1; prefix >= 0; prefix--)
        {
            if (Volatile.Read(ref counts[prefix]) == 0) continue;
            network = Networks.Mask(a, prefix);
            if (_entries.TryGetValue(network, out value!)) return true;
        }
        network = default;
        value = default!;
        return false;
    }

    private int[] Counts(IPNetwork network) =>
        network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? _v4Prefixes : _v6Prefixes;
}
