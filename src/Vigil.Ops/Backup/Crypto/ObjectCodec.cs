using System.IO.Compression;
using Vigil.Core.Model;

namespace Vigil.Ops.Backup.Crypto;

/// <summary>How a target stores bytes: optionally Brotli-compressed, then optionally encrypted
/// (compression first, since ciphertext does not compress). Fixed per target by its header.</summary>
public sealed class ObjectCodec(bool compress, BackupKey? key)
{
    /// <summary>Brotli quality 4: most of the gain of higher levels at a fraction of the CPU.</summary>
    private const int BrotliQuality = 4;

    public static readonly ObjectCodec Plain = new(false, null);

    public bool Compresses => compress;
    public bool Encrypts => key is not null || Locked;

    /// <summary>An encrypted target opened without its key: objects can be listed, hashed and
    /// verified against manifests, but not read or written.</summary>
    public bool Locked { get; init; }

    /// <summary>A blob's object name: its id, or an HMAC of it when the target is encrypted.</summary>
    public string ObjectNameOf(BlobId blob)
    {
        EnsureUnlocked();
        return key?.ObjectNameOf(blob) ?? blob.Hex;
    }

    public async Task EncodeAsync(Stream source, Stream destination, CancellationToken ct)
    {
        EnsureUnlocked();
        GcmEncryptingStream? encrypting = key is null ? null : new GcmEncryptingStream(destination, key.ContentKey);
        Stream sink = encrypting ?? destination;
        BrotliStream? compressing = compress ? new BrotliStream(sink, new BrotliCompressionOptions { Quality = BrotliQuality }, leaveOpen: true) : null;
        try
        {
            await source.CopyToAsync(compressing ?? sink, 64 * 1024, ct);
        }
        finally
        {
            if (compressing is not null) await compressing.DisposeAsync();
            if (encrypting is not null) await encrypting.DisposeAsync();
        }
    }

    /// <summary>The original bytes of a stored object. Takes ownership of <paramref name="stored"/>.</summary>
    public Stream Decode(Stream stored)
    {
        EnsureUnlocked();
        var s = key is null ? stored : new GcmDecryptingStream(stored, key.ContentKey);
        return compress ? new BrotliStream(s, CompressionMode.Decompress, leaveOpen: false) : s;
    }

    private void EnsureUnlocked()
    {
        if (Locked) throw new InvalidOperationException("This target is encrypted; its key file is needed (--key-file).");
    }
}
