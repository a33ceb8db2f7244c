using System.Net.Sockets;
using System.Text;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A byte-level TCP client for sending what real clients never would (bare LF, NUL,
/// overlong lines, smuggling attempts) and reading the exact replies.</summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private NetworkStream _stream = null!;
    private readonly List<byte> _pending = [];

    private RawClient(System.Net.IPAddress? local) =>
        _tcp = local is null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(local, 0));

    /// <summary>Connects, from <paramref name="local"/> when given (another loopback address, e.g.
    /// 127.0.0.2, to look like a different client).</summary>
    public static async Task<RawClient> ConnectAsync(System.Net.IPEndPoint ep, System.Net.IPAddress? local = null)
    {
        var c = new RawClient(local);
        await c._tcp.ConnectAsync(ep);
        c._stream = c._tcp.GetStream();
        return c;
    }

    public Stream Stream => _stream;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one reply line (without CRLF); null when the server closed.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.Take(lf).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, lf + 1);
                return line;
            }
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer, cts.Token);
            }
            catch (IOException)
            {
                n = 0;
            }
            if (n == 0) return _pending.Count > 0 ? Flush() : null;
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads a complete SMTP reply (all continuation lines) and returns its last line.</summary>
    public async Task<string?> ReadReplyAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await ReadLineAsync(timeout);
            if (line is null || line.Length < 4 || line[3] != '-') return line;
        }
    }

    public async Task<string?> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    private string Flush()
    {
        var s = Encoding.UTF8.GetString(_pending.ToArray());
        _pending.Clear();
        return s;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
