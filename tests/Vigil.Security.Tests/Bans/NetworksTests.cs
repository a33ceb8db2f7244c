using System.Net;
using Vigil.Security.Bans;

namespace Vigil.Security.Tests.Bans;

public class NetworksTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7/32")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    public void Clients_are_counted_per_IPv4_host_and_per_IPv6_slash_64(string address, string expected) =>
        Assert.Equal(expected, Networks.KeyOf(IPAddress.Parse(address)).ToString());

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("192.0.2.1", "192.0.2.1/32")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("2001:db8:ffff::/32", "2001:db8::/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Admin_networks_are_parsed_and_masked(string text, string expected)
    {
        Assert.True(Networks.TryParse(text, out var network));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("example.org")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.0.0.0/8/8")]
    public void Bad_networks_are_refused(string text) => Assert.False(Networks.TryParse(text, out _));

    [Fact]
    public void A_network_map_finds_the_most_specific_entry()
    {
        var map = new NetworkMap<string>();
        map.Set(IPNetwork.Parse("10.0.0.0/8"), "wide");
        map.Set(IPNetwork.Parse("10.1.0.0/16"), "narrow");
        Assert.True(map.TryFind(IPAddress.Parse("10.1.2.3"), out _, out var v));
        Assert.Equal("narrow", v);
        Assert.True(map.TryFind(IPAddress.Parse("::ffff:10.9.9.9"), out _, out v));
        Assert.Equal("wide", v);
        Assert.False(map.TryFind(IPAddress.Parse("11.0.0.1"), out _, out _));
        Assert.True(map.Remove(IPNetwork.Parse("10.0.0.0/8")));
        Assert.False(map.TryFind(IPAddress.Parse("10.9.9.9"), out _, out _));
    }
}
