using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>A byte-level IMAP test client: sends exactly what it is given and reads response
/// lines (literals arrive as further lines).</summary>
public sealed class RawImapClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private Stream _stream = null!;
    private readonly List<byte> _pending = [];

    public static async Task<RawImapClient> ConnectAsync(IPEndPoint ep)
    {
        var c = new RawImapClient();
        await c._tcp.ConnectAsync(ep);
        c._stream = c._tcp.GetStream();
        return c;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>One line without CRLF; null when the server closed.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[8192];
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
            if (n == 0)
            {
                if (_pending.Count == 0) return null;
                var rest = Encoding.UTF8.GetString(_pending.ToArray());
                _pending.Clear();
                return rest;
            }
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Sends a command and returns every line up to and including its tagged completion.</summary>
    public async Task<List<string>> CommandAsync(string tag, string command, TimeSpan? timeout = null)
    {
        await SendAsync($"{tag} {command}\r\n");
        return await ReadUntilTaggedAsync(tag, timeout);
    }

    public async Task<List<string>> ReadUntilTaggedAsync(string tag, TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeout) ?? throw new IOException("Server closed: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return lines;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
