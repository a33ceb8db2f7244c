using System.Security.Cryptography;

namespace Vigil.Ops.Backup.Crypto;

/// <summary>Read-only stream over <see cref="GcmChunkFormat"/>: each chunk is authenticated before
/// any of its bytes are returned; a changed, reordered, truncated or extended object throws
/// <see cref="InvalidDataException"/>.</summary>
internal sealed class GcmDecryptingStream : Format.ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[GcmChunkFormat.HeaderSize];
    private readonly byte[] _cipher = new byte[GcmChunkFormat.ChunkSize + GcmChunkFormat.TagSize];
    private readonly byte[] _plain = new byte[GcmChunkFormat.ChunkSize];
    private int _plainStart;
    private int _plainEnd;
    private uint _index;
    private bool _headerRead;
    private bool _done;

    public GcmDecryptingStream(Stream inner, byte[] key)
    {
        _inner = inner;
        _aes = new AesGcm(key, GcmChunkFormat.TagSize);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (_plainStart == _plainEnd)
        {
            if (_done) return 0;
            await OpenNextChunkAsync(ct);
        }
        var n = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsMemory(_plainStart, n).CopyTo(buffer);
        _plainStart += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async Task OpenNextChunkAsync(CancellationToken ct)
    {
        if (!_headerRead)
        {
            if (await FillAsync(_header, ct) != _header.Length) throw new InvalidDataException("Encrypted object is truncated (no header).");
            GcmChunkFormat.CheckHeader(_header);
            _headerRead = true;
        }
        var read = await FillAsync(_cipher, ct);
        // Only the last chunk is shorter than a full one; a full chunk is never the last.
        var last = read < _cipher.Length;
        if (read < GcmChunkFormat.TagSize) throw new InvalidDataException("Encrypted object is truncated.");
        var length = read - GcmChunkFormat.TagSize;
        Span<byte> nonce = stackalloc byte[GcmChunkFormat.NonceSize];
        GcmChunkFormat.Nonce(_header, _index, nonce);
        try
        {
            _aes.Decrypt(nonce, _cipher.AsSpan(0, length), _cipher.AsSpan(length, GcmChunkFormat.TagSize), _plain.AsSpan(0, length), GcmChunkFormat.Aad(_header, last));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidDataException($"Encrypted object fails authentication at chunk {_index} (changed, truncated, or the wrong key).");
        }
        _index = checked(_index + 1);
        _plainStart = 0;
        _plainEnd = length;
        _done = last;
    }

    private async Task<int> FillAsync(byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await _inner.ReadAsync(buffer.AsMemory(total), ct);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _aes.Dispose();
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

}
