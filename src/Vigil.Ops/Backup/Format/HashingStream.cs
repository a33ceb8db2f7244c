using System.Security.Cryptography;

namespace Vigil.Ops.Backup.Format;

/// <summary>Passes reads or writes through to an inner stream while counting and hashing them
/// (SHA-256), so stored objects are hashed as they are written or read, in one pass.</summary>
public sealed class HashingStream(Stream inner, bool leaveOpen = false) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public long Count { get; private set; }

    /// <summary>Hex SHA-256 of everything passed through; ends hashing.</summary>
    public string Sha256 => _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        _hash.AppendData(buffer.Span[..n]);
        Count += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        _hash.AppendData(buffer, offset, n);
        Count += n;
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        _hash.AppendData(buffer.Span);
        Count += buffer.Length;
        await inner.WriteAsync(buffer, ct);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _hash.AppendData(buffer, offset, count);
        Count += count;
        inner.Write(buffer, offset, count);
    }

    /// <summary>Reads whatever is left (a decoder may stop before the end), so the hash covers all of it.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (await ReadAsync(buffer, ct) > 0) { }
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!leaveOpen) inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
