using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Bench.Net;

/// <summary>A plain TCP client for line protocols: buffered reads of CRLF lines and exact byte
/// counts (IMAP literals), unbuffered writes. Every read is bounded by a timeout.</summary>
public sealed class LineClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    private LineClient(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
    }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public static async Task<LineClient> ConnectAsync(IPEndPoint server, IPAddress? source, CancellationToken ct, int bufferSize = 64 * 1024)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null) socket.Bind(new IPEndPoint(source, 0));
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(server, cts.Token);
            return new LineClient(socket, bufferSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (data.Length > 0)
        {
            var n = await _socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }

    public Task WriteLineAsync(string line, CancellationToken ct) => WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), ct);

    /// <summary>The next line without its CRLF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var scanFrom = _start;
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (lf >= 0)
            {
                var len = lf - _start;
                if (len > 0 && _buffer[lf - 1] == (byte)'\r') len--;
                var line = Encoding.ASCII.GetString(_buffer, _start, len);
                _start = lf + 1;
                return line;
            }
            scanFrom = _end;
            var before = _start;
            if (!await FillAsync(ct)) return null;
            scanFrom -= before - _start; // FillAsync may have compacted the buffer
        }
    }

    /// <summary>Reads and discards exactly <paramref name="count"/> bytes (an IMAP literal).</summary>
    public async Task<bool> SkipAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_end == _start && !await FillAsync(ct)) return false;
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
        return true;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new IOException($"line longer than {_buffer.Length} bytes from server");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Timeout);
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cts.Token);
        if (n == 0) return false;
        _end += n;
        return true;
    }

    public ValueTask DisposeAsync()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
