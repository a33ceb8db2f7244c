using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Ops.Fleet.Discovery;

/// <summary>An IPv4 CIDR block such as 10.1.0.0/24.</summary>
public sealed record Ipv4Range(IPAddress Network, int PrefixLength)
{
    /// <summary>Ranges larger than this (shorter prefixes) need --force.</summary>
    public const int LargestWithoutForce = 16;

    public long Size => 1L << (32 - PrefixLength);

    public static bool TryParse(string text, out Ipv4Range range)
    {
        range = null!;
        var parts = text.Split('/');
        // Dotted quad only: IPAddress.TryParse also takes legacy shorthands like "10.0.0" or "10".
        var octets = parts[0].Split('.');
        if (parts.Length is < 1 or > 2 || octets.Length != 4 || octets.Any(o => o.Length is 0 or > 3 || !o.All(char.IsAsciiDigit))) return false;
        if (!IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork) return false;
        var prefix = 32;
        if (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix is < 0 or > 32)) return false;
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        range = new Ipv4Range(FromUInt(ToUInt(ip) & mask), prefix);
        return true;
    }

    /// <summary>Every address of the block, without the network and broadcast addresses of blocks
    /// that have them (/30 and larger).</summary>
    public IEnumerable<IPAddress> Hosts()
    {
        var first = ToUInt(Network);
        var size = Size;
        var (from, to) = PrefixLength >= 31 ? (0L, size) : (1L, size - 1);
        for (var i = from; i < to; i++) yield return FromUInt((uint)(first + i));
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static uint ToUInt(IPAddress ip) => BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());

    private static IPAddress FromUInt(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
