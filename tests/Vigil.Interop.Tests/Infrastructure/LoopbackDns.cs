using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A tiny authoritative DNS server on a loopback UDP port for tests: answers A, AAAA,
/// TXT, MX and PTR from an in-memory zone (RFC 1035 wire format), NXDOMAIN for names it does not
/// know, NODATA for known names without that type, SERVFAIL for names marked failing. Tests point
/// Vigil's resolver at it, so nothing ever asks the internet.</summary>
public sealed class LoopbackDns : IAsyncDisposable
{
    private const ushort TypeA = 1, TypePtr = 12, TypeMx = 15, TypeTxt = 16, TypeAaaa = 28;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<(string Name, ushort Type), List<byte[]>> _records = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);
    private int _queries;

    public LoopbackDns() => _loop = ServeAsync();

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;
    public int Queries => Volatile.Read(ref _queries);

    public LoopbackDns Txt(string name, string text)
    {
        // RFC 1035 §3.3.14: a TXT record is a sequence of character-strings of at most 255 octets.
        var bytes = Encoding.UTF8.GetBytes(text);
        var rdata = new List<byte>();
        for (var i = 0; i < bytes.Length || i == 0; i += 255)
        {
            var chunk = bytes.AsSpan(i, Math.Min(255, bytes.Length - i));
            rdata.Add((byte)chunk.Length);
            rdata.AddRange(chunk.ToArray());
        }
        return Add(name, TypeTxt, [.. rdata]);
    }

    public LoopbackDns A(string name, string address)
    {
        var ip = IPAddress.Parse(address);
        return Add(name, ip.AddressFamily == AddressFamily.InterNetwork ? TypeA : TypeAaaa, ip.GetAddressBytes());
    }

    public LoopbackDns Mx(string name, int preference, string host)
    {
        var rdata = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(rdata, (ushort)preference);
        return Add(name, TypeMx, [.. rdata, .. EncodeName(host)]);
    }

    public LoopbackDns Ptr(string address, string name) => Add(IPAddress.Parse(address).GetArpaName(), TypePtr, EncodeName(name));

    public LoopbackDns Fail(string name)
    {
        lock (_records) _failing.Add(name);
        return this;
    }

    private LoopbackDns Add(string name, ushort type, byte[] rdata)
    {
        name = name.TrimEnd('.').ToLowerInvariant();
        lock (_records)
        {
            _names.Add(name);
            if (!_records.TryGetValue((name, type), out var list)) _records[(name, type)] = list = [];
            list.Add(rdata);
        }
        return this;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _queries);
            var response = Answer(request.Buffer);
            if (response is not null) await _udp.SendAsync(response, request.RemoteEndPoint, _stop.Token);
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12) return null;
        var pos = 12;
        var name = ReadName(query, ref pos);
        if (name is null || pos + 4 > query.Length) return null;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(pos));
        var question = query.AsSpan(12, pos + 4 - 12).ToArray();
        List<byte[]> answers;
        byte rcode;
        lock (_records)
        {
            rcode = _failing.Contains(name) ? (byte)2 : _names.Contains(name) ? (byte)0 : (byte)3;
            answers = rcode == 0 && _records.TryGetValue((name, type), out var list) ? [.. list] : [];
        }
        var response = new List<byte>
        {
            query[0], query[1],                       // id
            (byte)(0x84 | (query[2] & 0x01)), (byte)(0x80 | rcode), // QR AA RD | RA rcode
            0, 1, (byte)(answers.Count >> 8), (byte)answers.Count, 0, 0, 0, 0,
        };
        response.AddRange(question);
        foreach (var rdata in answers)
        {
            response.AddRange([0xC0, 0x0C, (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 60, (byte)(rdata.Length >> 8), (byte)rdata.Length]);
            response.AddRange(rdata);
        }
        return [.. response];
    }

    private static string? ReadName(byte[] packet, ref int pos)
    {
        var labels = new List<string>();
        while (pos < packet.Length)
        {
            var length = packet[pos++];
            if (length == 0) return string.Join('.', labels).ToLowerInvariant();
            if (length > 63 || pos + length > packet.Length) return null;
            labels.Add(Encoding.ASCII.GetString(packet, pos, length));
            pos += length;
        }
        return null;
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
