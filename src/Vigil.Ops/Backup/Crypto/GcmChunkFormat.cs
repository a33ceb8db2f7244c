using System.Buffers.Binary;

namespace Vigil.Ops.Backup.Crypto;

/// <summary>The encrypted object format: AES-256-GCM over 64 KiB chunks, so objects of any size
/// stream in constant memory and every chunk is authenticated before a byte of it is used.
/// <code>
/// header  "VGBE" | version 1 | 3 zero bytes | 8-byte random nonce prefix           (16 bytes)
/// chunk i ciphertext (64 KiB, the last one shorter, possibly empty) | 16-byte tag
/// nonce_i = nonce prefix | i as 32-bit big-endian
/// AAD_i   = header | 1 if this is the last chunk else 0
/// </code>
/// The last-chunk flag in the AAD makes truncation at a chunk boundary fail authentication, and
/// a plaintext whose length is a multiple of 64 KiB ends with an empty last chunk.</summary>
internal static class GcmChunkFormat
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int HeaderSize = 16;
    public const int NonceSize = 12;
    public static ReadOnlySpan<byte> Magic => "VGBE"u8;
    public const byte Version = 1;

    public static byte[] NewHeader()
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        header[4] = Version;
        System.Security.Cryptography.RandomNumberGenerator.Fill(header.AsSpan(8, 8));
        return header;
    }

    public static void CheckHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length != HeaderSize || !header[..4].SequenceEqual(Magic) || header[4] != Version)
        {
            throw new InvalidDataException("Not an encrypted Vigil backup object (bad header).");
        }
    }

    public static void Nonce(ReadOnlySpan<byte> header, uint index, Span<byte> nonce)
    {
        header.Slice(8, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index);
    }

    public static byte[] Aad(ReadOnlySpan<byte> header, bool last)
    {
        var aad = new byte[HeaderSize + 1];
        header.CopyTo(aad);
        aad[HeaderSize] = last ? (byte)1 : (byte)0;
        return aad;
    }
}
