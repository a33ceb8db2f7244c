namespace Vigil.Core.Delivery;

/// <summary>Copies a message while dropping selected fields from its header block (RFC 5322 §2.2:
/// a field is a line plus its folded continuation lines, which begin with SP or HTAB). Everything
/// else, the body included, is copied byte for byte. Used to remove Authentication-Results fields
/// that claim to come from this server (RFC 8601 §5).</summary>
public static class HeaderFieldFilter
{
    /// <summary>A field longer than this ends filtering; the rest is copied unchanged.</summary>
    public const int MaxFieldBytes = 256 * 1024;

    public static async Task CopyAsync(Stream source, Func<ReadOnlyMemory<byte>, bool> remove, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken ct)
    {
        var reader = new LineReader(source);
        var field = new MemoryStream();
        while (true)
        {
            var line = await reader.ReadLineAsync(MaxFieldBytes, ct);
            if (line is null) break; // end of stream inside the header block
            var isContinuation = line.Length > 0 && line[0] is (byte)' ' or (byte)'\t';
            if (isContinuation && field.Length > 0 && field.Length + line.Length <= MaxFieldBytes)
            {
                field.Write(line);
                continue;
            }
            await FlushFieldAsync(field, remove, sink, ct);
            if (isContinuation || IsEndOfHeaders(line) || line.Length > MaxFieldBytes || !line.AsSpan().Contains((byte)':'))
            {
                // Blank line (end of headers), or something that is not a field: stop filtering.
                await sink(line, ct);
                break;
            }
            field.Write(line);
        }
        await FlushFieldAsync(field, remove, sink, ct);
        await reader.CopyRestAsync(sink, ct);
    }

    private static bool IsEndOfHeaders(byte[] line) => line is [(byte)'\r', (byte)'\n'] or [(byte)'\n'];

    private static async ValueTask FlushFieldAsync(MemoryStream field, Func<ReadOnlyMemory<byte>, bool> remove, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken ct)
    {
        if (field.Length == 0) return;
        var bytes = field.GetBuffer().AsMemory(0, (int)field.Length);
        if (!remove(bytes)) await sink(bytes, ct); // the sink is awaited before the buffer is reused
        field.SetLength(0);
    }

    /// <summary>Reads LF-terminated lines (terminator included) from a stream, then the rest.</summary>
    private sealed class LineReader(Stream source)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(int max, CancellationToken ct)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await source.ReadAsync(_buffer, ct);
                    if (_end == 0) return line.Length == 0 ? null : line.ToArray();
                }
                var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = lf < 0 ? _end : lf + 1;
                line.Write(_buffer, _start, stop - _start);
                _start = stop;
                if (lf >= 0 || line.Length > max) return line.ToArray();
            }
        }

        public async Task CopyRestAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken ct)
        {
            if (_start < _end) await sink(_buffer.AsMemory(_start, _end - _start), ct);
            _start = _end = 0;
            int n;
            while ((n = await source.ReadAsync(_buffer, ct)) > 0) await sink(_buffer.AsMemory(0, n), ct);
        }
    }
}
