using System.Net;

namespace Vigil.Ops.Lockdown;

/// <summary>An engaged lockdown: why, since when, by whom, and which networks may still reach the
/// admin HTTP interface. No state means no lockdown.</summary>
public sealed record LockdownState(string Reason, IReadOnlyList<string> Allow, DateTimeOffset Since, string Actor, string Source)
{
    /// <summary>Parses <c>--allow</c> values: CIDR blocks ("192.0.2.0/24") or single addresses.</summary>
    public static IReadOnlyList<IPNetwork> ParseNetworks(IEnumerable<string> values) => values.Select(v =>
    {
        var text = v.Trim();
        if (IPNetwork.TryParse(text, out var network)) return network;
        if (IPAddress.TryParse(text, out var address)) return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        throw new FormatException($"'{v}' is not a network (CIDR such as 192.0.2.0/24) or an address");
    }).ToList();

    /// <summary>True when <paramref name="remote"/> is inside an allowed admin network.</summary>
    public bool Allows(IPAddress remote)
    {
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return ParseNetworks(Allow).Any(n => n.Contains(address));
    }

    /// <summary>The text clients are given: the admin's reason is shown on purpose (docs/incident-response.md).</summary>
    public string ClientMessage => $"locked down by the administrator: {Reason}; try again later";
}
