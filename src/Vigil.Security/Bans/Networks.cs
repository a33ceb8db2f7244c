using System.Net;
using System.Net.Sockets;

namespace Vigil.Security.Bans;

/// <summary>Turns addresses into the networks that bans and limits count by. An IPv6 client
/// usually controls a whole /64, so counting per IPv6 address would let it dodge every limit by
/// changing the low bits; IPv4-mapped IPv6 addresses (dual-mode sockets) count as their IPv4.</summary>
public static class Networks
{
    /// <summary>Unwraps <c>::ffff:a.b.c.d</c> so one client has one identity on any socket.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The network an address is counted and banned as: /<paramref name="v4Prefix"/> for
    /// IPv4, /<paramref name="v6Prefix"/> for IPv6.</summary>
    public static IPNetwork KeyOf(IPAddress address, int v4Prefix = 32, int v6Prefix = 64)
    {
        var a = Canonical(address);
        return Mask(a, a.AddressFamily == AddressFamily.InterNetwork ? v4Prefix : v6Prefix);
    }

    /// <summary>The network of <paramref name="prefix"/> bits containing the address (host bits cleared).</summary>
    public static IPNetwork Mask(IPAddress address, int prefix)
    {
        var a = Canonical(address);
        var bytes = a.GetAddressBytes();
        var max = bytes.Length * 8;
        if (prefix < 0 || prefix > max) throw new ArgumentOutOfRangeException(nameof(prefix));
        for (var bit = prefix; bit < max; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    /// <summary>Parses an admin's "203.0.113.7", "2001:db8::/48" or "10.0.0.0/8". A bare address is
    /// a single-host network; host bits below the prefix are cleared ("10.1.2.3/8" is 10.0.0.0/8).</summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal)) return false;
        address = Canonical(address);
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > max))
            return false;
        network = Mask(address, prefix);
        return true;
    }
}
