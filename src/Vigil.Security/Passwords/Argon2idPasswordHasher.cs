using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Vigil.Core.Accounts;

namespace Vigil.Security.Passwords;

/// <summary>Argon2id (RFC 9106) in the PHC string format
/// <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>; verification reads the cost from the string,
/// so raising the defaults never breaks old hashes.</summary>
public sealed class Argon2idPasswordHasher(Argon2Cost cost) : IPasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public Argon2idPasswordHasher() : this(Argon2Cost.Default) { }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, cost, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={cost.MemoryKiB},t={cost.Iterations},p={cost.Parallelism}${B64(salt)}${B64(hash)}");
    }

    public bool Verify(string password, string encodedHash)
    {
        if (!TryDecode(encodedHash, out var c, out var salt, out var expected) || c.Parallelism != 1 || salt.Length != SaltBytes) return false;
        var actual = Compute(password, salt, c, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Runs on the calling thread (the managed Konscious implementation used before blocked
    /// a thread-pool thread on Task.Run(...).Result and hopped through the pool for every segment,
    /// so a burst of concurrent logins starved the pool). <see cref="Argon2idAvx2"/> where the CPU
    /// has AVX2, libsodium's Argon2id (through NSec) elsewhere: both give the same tags. One lane and
    /// 16-byte salts, which is what Vigil writes; any other encoding does not verify.</summary>
    private static byte[] Compute(string password, byte[] salt, Argon2Cost c, int length)
    {
        if (c.Parallelism != 1 || salt.Length != SaltBytes) throw new CryptographicException("Only one-lane Argon2id with a 16-byte salt is supported.");
        var secret = Encoding.UTF8.GetBytes(password);
        try
        {
            if (Argon2idAvx2.IsSupported) return Argon2idAvx2.Compute(secret, salt, c.MemoryKiB, c.Iterations, 1, length);
            var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
            {
                DegreeOfParallelism = 1,
                MemorySize = c.MemoryKiB,
                NumberOfPasses = c.Iterations,
            });
            return algorithm.DeriveBytes(secret, salt, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static bool TryDecode(string encoded, out Argon2Cost cost, out byte[] salt, out byte[] hash)
    {
        cost = Argon2Cost.Default;
        salt = hash = [];
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19") return false;
        int m = 0, t = 0, p = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return false;
            switch (pair[0])
            {
                case "m": m = v; break;
                case "t": t = v; break;
                case "p": p = v; break;
                default: return false;
            }
        }
        if (m < 8 || t < 1 || p < 1 || m > 4 * 1024 * 1024 || t > 100 || p > 64) return false;
        try
        {
            salt = UnB64(parts[4]);
            hash = UnB64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        cost = new Argon2Cost(m, t, p);
        return hash.Length >= 16;
    }

    // PHC strings use standard base64 without padding.
    private static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=');

    private static byte[] UnB64(string s) => Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
}

/// <summary>Argon2id cost parameters. The default is OWASP's minimum recommendation (19 MiB, 2 passes).</summary>
public sealed record Argon2Cost(int MemoryKiB, int Iterations, int Parallelism)
{
    public static readonly Argon2Cost Default = new(19456, 2, 1);
}
