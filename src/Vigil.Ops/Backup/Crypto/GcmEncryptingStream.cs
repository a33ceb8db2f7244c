using System.Security.Cryptography;

namespace Vigil.Ops.Backup.Crypto;

/// <summary>Write-only stream that encrypts into <see cref="GcmChunkFormat"/>. The last chunk is
/// written on dispose; the inner stream is left open.</summary>
internal sealed class GcmEncryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header = GcmChunkFormat.NewHeader();
    private readonly byte[] _plain = new byte[GcmChunkFormat.ChunkSize];
    private readonly byte[] _cipher = new byte[GcmChunkFormat.ChunkSize + GcmChunkFormat.TagSize];
    private int _filled;
    private uint _index;
    private bool _headerWritten;
    private bool _finished;

    public GcmEncryptingStream(Stream inner, byte[] key)
    {
        _inner = inner;
        _aes = new AesGcm(key, GcmChunkFormat.TagSize);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        while (buffer.Length > 0)
        {
            // A chunk is sealed only when more data follows it, so the final chunk is always the
            // short (or empty) one that carries the last flag.
            if (_filled == _plain.Length) await SealAsync(last: false, ct);
            var n = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer.Span[..n].CopyTo(_plain.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Writes the last chunk. Called by dispose; callable earlier to surface I/O errors.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        if (_finished) return;
        if (_filled == _plain.Length) await SealAsync(last: false, ct); // a full chunk is never the last
        await SealAsync(last: true, ct);
        _finished = true;
        await _inner.FlushAsync(ct);
    }

    private async Task SealAsync(bool last, CancellationToken ct)
    {
        if (!_headerWritten)
        {
            await _inner.WriteAsync(_header, ct);
            _headerWritten = true;
        }
        Span<byte> nonce = stackalloc byte[GcmChunkFormat.NonceSize];
        GcmChunkFormat.Nonce(_header, _index, nonce);
        var cipher = _cipher.AsSpan(0, _filled);
        _aes.Encrypt(nonce, _plain.AsSpan(0, _filled), cipher, _cipher.AsSpan(_filled, GcmChunkFormat.TagSize), GcmChunkFormat.Aad(_header, last));
        await _inner.WriteAsync(_cipher.AsMemory(0, _filled + GcmChunkFormat.TagSize), ct);
        _index = checked(_index + 1);
        _filled = 0;
    }

    public override async ValueTask DisposeAsync()
    {
        await FinishAsync(CancellationToken.None);
        _aes.Dispose();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            FinishAsync(CancellationToken.None).GetAwaiter().GetResult();
            _aes.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
