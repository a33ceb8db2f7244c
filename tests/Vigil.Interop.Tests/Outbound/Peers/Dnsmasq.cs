using System.Net;

namespace Vigil.Interop.Tests.Outbound.Peers;

/// <summary>dnsmasq as the authoritative DNS of the test domains (everything under .test): MX, A,
/// null MX and TXT records, on a loopback address and a high port; unknown names get NXDOMAIN.</summary>
public sealed class Dnsmasq : IAsyncDisposable
{
    private readonly List<string> _records = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-dns-").FullName;
    private PeerProcess? _process;

    public IPEndPoint EndPoint { get; } = new(Loopback.Dns, PeerProcess.FreePort());

    /// <summary>"127.0.0.53:port", the form <c>outbound.dnsServer</c> takes.</summary>
    public string Server => $"{EndPoint.Address}:{EndPoint.Port}";

    public Dnsmasq Mx(string domain, string host, int preference)
    {
        _records.Add($"--mx-host={domain},{host},{preference}");
        return this;
    }

    public Dnsmasq A(string host, IPAddress address)
    {
        _records.Add($"--host-record={host},{address}");
        return this;
    }

    /// <summary>RFC 7505: a single MX with preference 0 and the root as exchange (raw RDATA: 0x0000 0x00).</summary>
    public Dnsmasq NullMx(string domain)
    {
        _records.Add($"--dns-rr={domain},15,000000");
        return this;
    }

    /// <summary>A TXT record, split into character-strings of at most 255 octets. On the command
    /// line dnsmasq splits at commas and keeps quotes literally, so the strings go in bare (a TXT
    /// value with a comma cannot be expressed this way; DKIM and SPF values have none).</summary>
    public Dnsmasq Txt(string name, string value)
    {
        if (value.Contains(',', StringComparison.Ordinal)) throw new ArgumentException("dnsmasq --txt-record cannot carry a comma", nameof(value));
        var chunks = Enumerable.Range(0, (value.Length + 254) / 255).Select(i => value.Substring(i * 255, Math.Min(255, value.Length - (i * 255))));
        _records.Add($"--txt-record={name},{string.Join(',', chunks)}");
        return this;
    }

    public async Task<Dnsmasq> StartAsync()
    {
        var args = new List<string>
        {
            "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=/dev/null", "--log-facility=-",
            $"--listen-address={EndPoint.Address}", "--bind-interfaces", $"--port={EndPoint.Port}", "--local=/test/",
            $"--pid-file={Path.Combine(_dir, "dnsmasq.pid")}", "--cache-size=0",
        };
        if (PeerProcess.IsRoot) args.Add("--user=root");
        args.AddRange(_records);
        _process = PeerProcess.Start("dnsmasq", args);
        await _process.WaitForOutputAsync("started");
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
