using System.Net;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Discovery;

/// <summary>An instance the console knows (a member, or the console itself) and where it listens.</summary>
public sealed record KnownInstance(string Label, IReadOnlyList<ListenerFacts> Listeners, IReadOnlyList<string> Addresses, bool OnThisHost);

/// <summary>Decides which discovered endpoints belong to a known instance. A listener bound to a
/// specific address matches that address; one bound to any address matches the instance's own
/// addresses (and loopback when it runs on this host); one bound to loopback can only be reached
/// from its own host, so it matches only for instances on this host.</summary>
public sealed class EnrolledEndpoints(IEnumerable<KnownInstance> instances)
{
    private readonly IReadOnlyList<KnownInstance> _instances = instances.ToArray();

    public string? Owner(IPAddress address, int port)
    {
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var instance in _instances)
        {
            foreach (var l in instance.Listeners.Where(l => l.Port == port))
            {
                if (!IPAddress.TryParse(l.Address, out var bound)) continue;
                var matches = bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)
                    ? instance.Addresses.Contains(ip.ToString()) || (instance.OnThisHost && IPAddress.IsLoopback(ip))
                    : IPAddress.IsLoopback(bound)
                        ? instance.OnThisHost && bound.Equals(ip)
                        : bound.Equals(ip);
                if (matches) return instance.Label;
            }
        }
        return null;
    }
}
