using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vigil.Ops.Fleet.Discovery;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Tests.Fleet;

public class DiscoveryTests
{
    [Theory]
    [InlineData("127.0.0.0/29", "127.0.0.0/29", 6)]
    [InlineData("10.1.2.3/24", "10.1.2.0/24", 254)]
    [InlineData("192.168.1.7/32", "192.168.1.7/32", 1)]
    [InlineData("192.168.1.6/31", "192.168.1.6/31", 2)]
    [InlineData("192.168.1.9", "192.168.1.9/32", 1)]
    public void Ranges_parse_and_enumerate_their_hosts(string text, string normalised, int hosts)
    {
        Assert.True(Ipv4Range.TryParse(text, out var range));
        Assert.Equal(normalised, range.ToString());
        Assert.Equal(hosts, range.Hosts().Count());
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/24")]
    [InlineData("::1/128")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("host.example/24")]
    public void Bad_ranges_do_not_parse(string text) => Assert.False(Ipv4Range.TryParse(text, out _));

    [Fact]
    public async Task Ranges_larger_than_a_slash_16_need_force()
    {
        Ipv4Range.TryParse("10.0.0.0/15", out var range);
        var discovery = new FleetDiscovery(new EndpointProbe(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => discovery.ScanAsync(range, [25], new DiscoveryOptions(), false, new EnrolledEndpoints([]), CancellationToken.None));
        Assert.Contains("--force", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Banners_and_certificates_are_read_and_enrolled_endpoints_are_told_apart()
    {
        using var smtp = Serve(_ => "220 forgotten.test ESMTP Postfix\r\n"u8.ToArray(), tls: false);
        using var imaps = Serve(_ => "* OK [CAPABILITY IMAP4rev1] ready\r\n"u8.ToArray(), tls: true);
        using var known = Serve(_ => "+OK POP3 ready\r\n"u8.ToArray(), tls: false);
        var enrolled = new EnrolledEndpoints([new KnownInstance("member m1", [new ListenerFacts("pop3", "pop3", "127.0.0.1", known.Port, false, false, false)], [], OnThisHost: true)]);
        Ipv4Range.TryParse("127.0.0.1/32", out var range);
        var started = DateTime.UtcNow;
        var found = await new FleetDiscovery(new EndpointProbe(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
            .ScanAsync(range, [smtp.Port, imaps.Port, known.Port, ClosedPort()], new DiscoveryOptions(AttemptsPerSecond: 20), false, enrolled, CancellationToken.None);

        Assert.Equal(3, found.Count);
        var s = found.Single(e => e.Port == smtp.Port);
        Assert.Equal(("smtp", "220 forgotten.test ESMTP Postfix", (string?)null), (s.Service, s.Banner, s.EnrolledAs));
        var i = found.Single(e => e.Port == imaps.Port);
        Assert.Equal("imap+tls", i.Service);
        Assert.Equal("CN=forgotten.test", i.TlsSubject);
        Assert.Equal(64, i.TlsSha256!.Length);
        Assert.Equal("member m1", found.Single(e => e.Port == known.Port).EnrolledAs);
        // Four attempts at 20 per second take at least 150 ms: the pacing holds.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void Listeners_on_any_address_match_the_instances_addresses_and_loopback_only_locally()
    {
        var remote = new KnownInstance("member far", [new ListenerFacts("smtp", "smtp", "0.0.0.0", 25, false, true, true), new ListenerFacts("pop3", "pop3", "127.0.0.1", 110, false, false, false)], ["10.0.0.5"], OnThisHost: false);
        var endpoints = new EnrolledEndpoints([remote]);
        Assert.Equal("member far", endpoints.Owner(IPAddress.Parse("10.0.0.5"), 25));
        Assert.Null(endpoints.Owner(IPAddress.Parse("10.0.0.6"), 25));
        Assert.Null(endpoints.Owner(IPAddress.Loopback, 25));
        Assert.Null(endpoints.Owner(IPAddress.Loopback, 110));
    }

    private static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static FakeServer Serve(Func<int, byte[]> banner, bool tls) => new(banner, tls);

    /// <summary>A loopback server that greets like a mail server, optionally inside TLS.</summary>
    private sealed class FakeServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly X509Certificate2? _cert;

        public FakeServer(Func<int, byte[]> banner, bool tls)
        {
            if (tls)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                using var self = new CertificateRequest("CN=forgotten.test", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                _cert = X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pkcs12), null);
            }
            _listener.Start();
            _ = Task.Run(async () =>
            {
                var n = 0;
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(_stop.Token); } catch (OperationCanceledException) { return; } catch (SocketException) { return; }
                    var index = n++;
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            try
                            {
                                Stream stream = client.GetStream();
                                if (_cert is not null)
                                {
                                    var ssl = new SslStream(stream);
                                    await ssl.AuthenticateAsServerAsync(_cert);
                                    stream = ssl;
                                }
                                await stream.WriteAsync(banner(index));
                                await Task.Delay(500);
                            }
                            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
                            {
                            }
                        }
                    });
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _cert?.Dispose();
        }
    }
}
