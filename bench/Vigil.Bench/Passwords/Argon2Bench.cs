using System.Diagnostics;
using System.Globalization;
using NSec.Cryptography;
using Vigil.Security.Passwords;

namespace Vigil.Bench.Passwords;

/// <summary>Vigil's Argon2id (AVX2 on kept memory) against libsodium's (through NSec, which maps
/// fresh memory for every hash), the same parameters, in alternating rounds: wall time and process
/// CPU per hash, one thread.</summary>
public static class Argon2Bench
{
    public static int Run(int hashes, int memoryKiB, int passes, int rounds)
    {
        var hasher = new Argon2idPasswordHasher(new Argon2Cost(memoryKiB, passes, 1));
        var encoded = hasher.Hash("bench-password-1");
        var salt = new byte[16];
        var sodium = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memoryKiB, NumberOfPasses = passes });
        hasher.Verify("bench-password-1", encoded); // compiled and memory kept before timing
        sodium.DeriveBytes("bench-password-1"u8, salt, 32);
        Console.WriteLine($"argon2id m={memoryKiB} KiB t={passes} p=1, {hashes} hashes a round");
        for (var round = 1; round <= rounds; round++)
        {
            var (vigilWall, vigilCpu) = Time(hashes, () =>
            {
                if (!hasher.Verify("bench-password-1", encoded)) throw new InvalidOperationException("verify failed");
            });
            var (sodiumWall, sodiumCpu) = Time(hashes, () => sodium.DeriveBytes("bench-password-1"u8, salt, 32));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: vigil {vigilWall:F2} ms (cpu {vigilCpu:F2})  libsodium {sodiumWall:F2} ms (cpu {sodiumCpu:F2}) a hash"));
        }
        return 0;
    }

    private static (double Wall, double Cpu) Time(int n, Action hash)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) hash();
        process.Refresh();
        return (clock.Elapsed.TotalMilliseconds / n, (process.TotalProcessorTime - cpu).TotalMilliseconds / n);
    }
}
