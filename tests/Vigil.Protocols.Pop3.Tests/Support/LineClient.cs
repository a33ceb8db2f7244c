using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Protocols.Pop3.Tests.Support;

/// <summary>A bare TCP client for protocol tests: writes exactly the bytes given and reads
/// server lines byte for byte (Latin-1, so 8-bit content survives the round trip).</summary>
public sealed class LineClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private LineClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public static async Task<LineClient> ConnectAsync(IPEndPoint endPoint, bool tls)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        var client = new LineClient(tcp, tcp.GetStream());
        if (tls) await client.StartTlsAsync();
        return client;
    }

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("pop3.example.test").WaitAsync(Timeout);
        _stream = ssl;
        _start = _end = 0;
    }

    public Task SendAsync(string line) => SendRawAsync(line + "\r\n");

    public async Task SendRawAsync(string raw)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        await _stream.FlushAsync();
    }

    /// <summary>Reads one line without its CRLF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer).AsTask().WaitAsync(Timeout);
                if (_end == 0) return line.Length == 0 ? null : throw new IOException("connection closed mid-line: " + Encoding.Latin1.GetString(line.ToArray()));
            }
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf < 0)
            {
                line.Write(_buffer, _start, _end - _start);
                _start = _end;
                continue;
            }
            line.Write(_buffer, _start, lf + 1 - _start);
            _start = lf + 1;
            var text = Encoding.Latin1.GetString(line.ToArray());
            if (!text.EndsWith("\r\n", StringComparison.Ordinal)) throw new InvalidDataException("server line without CRLF: " + text);
            return text[..^2];
        }
    }

    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line);
        return await ReadLineAsync() ?? throw new IOException("connection closed");
    }

    /// <summary>Reads a multi-line body up to the "." line and removes the stuffing.</summary>
    public async Task<List<string>> ReadMultiLineAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            if (line == ".") return lines;
            lines.Add(line.StartsWith('.') ? line[1..] : line);
        }
        throw new IOException("connection closed inside a multi-line response");
    }

    public async Task LoginAsync(string user, string password)
    {
        Assert.StartsWith("+OK", await ReadLineAsync());
        Assert.StartsWith("+OK", await CommandAsync("USER " + user));
        var reply = await CommandAsync("PASS " + password);
        Assert.True(reply.StartsWith("+OK", StringComparison.Ordinal), reply);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
