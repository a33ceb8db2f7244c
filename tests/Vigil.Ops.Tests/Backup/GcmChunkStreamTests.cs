using System.Security.Cryptography;
using Vigil.Ops.Backup.Crypto;

namespace Vigil.Ops.Tests.Backup;

public class GcmChunkStreamTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static async Task<byte[]> EncryptAsync(byte[] plain)
    {
        using var output = new MemoryStream();
        await using (var enc = new GcmEncryptingStream(output, Key))
        {
            // Uneven writes exercise the chunk buffering.
            for (var i = 0; i < plain.Length; i += 10_000) await enc.WriteAsync(plain.AsMemory(i, Math.Min(10_000, plain.Length - i)));
        }
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] cipher)
    {
        await using var dec = new GcmDecryptingStream(new MemoryStream(cipher), Key);
        using var output = new MemoryStream();
        await dec.CopyToAsync(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(200_000)]
    public async Task Round_trips_any_length(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var cipher = await EncryptAsync(plain);
        Assert.Equal(plain, await DecryptAsync(cipher));
        // header + one tag per chunk, the last one short or empty
        Assert.Equal(16 + length + 16 * (length / 65536 + 1), cipher.Length);
    }

    [Fact]
    public async Task A_flipped_bit_anywhere_is_refused()
    {
        var cipher = await EncryptAsync(RandomNumberGenerator.GetBytes(100_000));
        foreach (var at in new[] { 0, 5, 10, 20, 65_000, 65_560, cipher.Length - 1 })
        {
            var bad = (byte[])cipher.Clone();
            bad[at] ^= 0x01;
            await Assert.ThrowsAsync<InvalidDataException>(() => DecryptAsync(bad));
        }
    }

    [Fact]
    public async Task Truncation_at_a_chunk_boundary_and_extension_are_refused()
    {
        var cipher = await EncryptAsync(RandomNumberGenerator.GetBytes(140_000));
        var firstChunkEnd = 16 + 65536 + 16;
        await Assert.ThrowsAsync<InvalidDataException>(() => DecryptAsync(cipher[..firstChunkEnd]));
        await Assert.ThrowsAsync<InvalidDataException>(() => DecryptAsync(cipher[..(firstChunkEnd * 2 - 16)]));
        await Assert.ThrowsAsync<InvalidDataException>(() => DecryptAsync([.. cipher, 0]));
    }

    [Fact]
    public async Task The_wrong_key_is_refused()
    {
        var cipher = await EncryptAsync([1, 2, 3]);
        await using var dec = new GcmDecryptingStream(new MemoryStream(cipher), RandomNumberGenerator.GetBytes(32));
        await Assert.ThrowsAsync<InvalidDataException>(() => dec.CopyToAsync(Stream.Null));
    }
}
