using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Ops.Fleet.Discovery;

/// <summary>Looks at one address and port the way a client would, and no further: connect, read
/// the greeting a mail server sends unasked (SMTP 220, POP3 +OK, IMAP * OK); if nothing comes,
/// try a TLS handshake to read the certificate, then the greeting inside TLS. It sends no command
/// and no credentials.</summary>
public sealed class EndpointProbe(TimeSpan connectTimeout, TimeSpan readTimeout)
{
    private const int MaxBanner = 512;

    public async Task<DiscoveredEndpoint?> ProbeAsync(IPAddress address, int port, CancellationToken ct)
    {
        using (var plain = await ConnectAsync(address, port, ct))
        {
            if (plain is null) return null;
            var banner = await ReadBannerAsync(plain.GetStream(), ct);
            if (banner is not null) return new DiscoveredEndpoint(address, port, Classify(banner), banner, null, null);
        }
        using var again = await ConnectAsync(address, port, ct);
        if (again is null) return new DiscoveredEndpoint(address, port, "open", null, null, null);
        await using var tls = new SslStream(again.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(readTimeout * 2);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = address.ToString() }, cts.Token);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new DiscoveredEndpoint(address, port, "open", null, null, null);
        }
        var cert = tls.RemoteCertificate;
        var subject = cert?.Subject;
        var sha = cert is null ? null : Convert.ToHexStringLower(SHA256.HashData(cert.GetRawCertData()));
        var inner = await ReadBannerAsync(tls, ct);
        return new DiscoveredEndpoint(address, port, inner is null ? "tls" : Classify(inner) + "+tls", inner, subject, sha);
    }

    private async Task<TcpClient?> ConnectAsync(IPAddress address, int port, CancellationToken ct)
    {
        var client = new TcpClient(address.AddressFamily);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(connectTimeout);
        try
        {
            await client.ConnectAsync(address, port, cts.Token);
            return client;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            client.Dispose();
            return null;
        }
    }

    /// <summary>The first line the server sends unasked, printable characters only; null if it
    /// sends nothing in time.</summary>
    private async Task<string?> ReadBannerAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxBanner];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(readTimeout);
        var filled = 0;
        try
        {
            while (filled < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, filled) < 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cts.Token);
                if (read == 0) break;
                filled += read;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
        }
        if (filled == 0 || buffer[0] is 0x15 or 0x16) return null;
        var line = Encoding.ASCII.GetString(buffer, 0, filled).Split('\n')[0].TrimEnd('\r');
        return new string(line.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
    }

    public static string Classify(string banner) =>
        banner.StartsWith("220", StringComparison.Ordinal) ? "smtp"
        : banner.StartsWith("+OK", StringComparison.Ordinal) ? "pop3"
        : banner.StartsWith("* OK", StringComparison.Ordinal) || banner.StartsWith("* PREAUTH", StringComparison.Ordinal) ? "imap"
        : "other";
}
