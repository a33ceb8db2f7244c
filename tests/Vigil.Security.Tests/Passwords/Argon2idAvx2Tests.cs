using NSec.Cryptography;
using Vigil.Security.Passwords;

namespace Vigil.Security.Tests.Passwords;

/// <summary>Vigil's AVX2 Argon2id gives the same tags as libsodium and as RFC 9106's test vector.</summary>
public class Argon2idAvx2Tests
{
    [Fact]
    public void Matches_the_test_vector_of_RFC_9106()
    {
        if (!HasAvx2()) return;
        // §5.3: Argon2id, 32 KiB, 3 passes, 4 lanes, 32-byte tag, with a secret and associated data.
        var tag = Argon2idAvx2.Compute(Fill(32, 1), Fill(16, 2), 32, 3, 4, 32, Fill(8, 3), Fill(12, 4));
        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(tag));
    }

    [Theory]
    [InlineData(8, 1, 32)] // the smallest memory: one segment of two blocks
    [InlineData(64, 1, 32)]
    [InlineData(1024, 3, 32)] // more than 128 blocks a segment: several address blocks
    [InlineData(19456, 2, 32)] // Vigil's default cost
    [InlineData(4099, 2, 64)] // memory rounded down to whole segments; a 64-byte tag
    [InlineData(256, 2, 100)] // a tag longer than one BLAKE2b output
    public void Matches_libsodium(int memoryKiB, int passes, int tagLength)
    {
        if (!HasAvx2()) return;
        var random = new Random(memoryKiB * 31 + passes);
        for (var round = 0; round < 3; round++)
        {
            var password = new byte[random.Next(0, 80)];
            var salt = new byte[16];
            random.NextBytes(password);
            random.NextBytes(salt);
            var expected = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memoryKiB, NumberOfPasses = passes })
                .DeriveBytes(password, salt, tagLength);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Argon2idAvx2.Compute(password, salt, memoryKiB, passes, 1, tagLength)));
        }
    }

    [Fact]
    public void Concurrent_hashes_on_reused_memory_stay_correct()
    {
        if (!HasAvx2()) return;
        var salt = Fill(16, 9);
        var expected = Enumerable.Range(0, 8).Select(i => Convert.ToHexString(Argon2idAvx2.Compute([(byte)i], salt, 512, 2, 1, 32))).ToArray();
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = Convert.ToHexString(Argon2idAvx2.Compute([(byte)(i % 8)], salt, 512, 2, 1, 32)));
        for (var i = 0; i < results.Length; i++) Assert.Equal(expected[i % 8], results[i]);
        Assert.Equal(8, expected.Distinct().Count());
    }

    /// <summary>Without AVX2 the hasher uses libsodium alone (what <see cref="Argon2KnownAnswerTests"/> checks).</summary>
    private static bool HasAvx2()
    {
        if (!Argon2idAvx2.IsSupported) Assert.Throws<PlatformNotSupportedException>(() => Argon2idAvx2.Compute([1], new byte[16], 64, 1, 1, 32));
        return Argon2idAvx2.IsSupported;
    }

    private static byte[] Fill(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}

/// <summary>The kept Argon2 memory is bounded, zeroed, and given up when logins stop.</summary>
public class Argon2MemoryTests
{
    [Fact]
    public void Keeps_at_most_its_bound_zeroed_and_releases_them_when_idle()
    {
        var pool = new Argon2Memory(2, TimeSpan.FromSeconds(30));
        var buffers = Enumerable.Range(0, 3).Select(_ => pool.Rent(256)).ToList();
        foreach (var b in buffers)
        {
            Array.Fill(b, 0xFFUL);
            pool.Return(b, b.Length);
        }
        Assert.Equal(2, pool.Kept);
        var again = pool.Rent(256);
        Assert.Contains(again, buffers);
        Assert.All(again, w => Assert.Equal(0UL, w));
        pool.Return(again, again.Length);

        pool.ReleaseIfIdle(Environment.TickCount64);
        Assert.Equal(2, pool.Kept); // just used
        pool.ReleaseIfIdle(Environment.TickCount64 + 31_000);
        Assert.Equal(0, pool.Kept);
    }
}
