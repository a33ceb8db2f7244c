using System.Net;
using Vigil.Security.Bans;
using Vigil.Security.Limits;

namespace Vigil.Net.Gates;

/// <summary>Refuses a network's new connections on one protocol beyond
/// <see cref="RateLimitOptions.NewConnectionsPerMinute"/>. Refused attempts count too, so a
/// client that hammers stays refused until it slows down. Allow-listed networks are exempt.</summary>
public sealed class ConnectionRateGate : IConnectionGate
{
    public const string Reason = "Too many connections from your address; slow down";

    private readonly RateLimitOptions _options;
    private readonly AutoBanOptions _autoBan;
    private readonly BanList _bans;
    private readonly WindowCounter<(string Protocol, IPNetwork Network)> _connections;

    public ConnectionRateGate(RateLimitOptions options, AutoBanOptions autoBan, BanList bans, TimeProvider time)
    {
        _options = options;
        _autoBan = autoBan;
        _bans = bans;
        _connections = new WindowCounter<(string, IPNetwork)>(TimeSpan.FromMinutes(1), options.MaxTrackedKeys, time);
    }

    public string? Check(IPAddress remote, string protocol)
    {
        if (_bans.IsExempt(remote)) return null;
        var key = (protocol, Networks.KeyOf(remote, _autoBan.Ipv4Prefix, _autoBan.Ipv6Prefix));
        return _connections.Add(key) > _options.NewConnectionsPerMinute ? Reason : null;
    }
}
