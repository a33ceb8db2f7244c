using System.Collections.Concurrent;

namespace Vigil.Security.Passwords;

/// <summary>The memory Argon2 fills, kept for the next hash instead of mapped and unmapped each
/// time. At most one buffer per processor is kept (the login service runs that many hashes at
/// once); a buffer is zeroed before it is kept, because its blocks would let anyone who reads the
/// process's memory test guesses at a fraction of Argon2's cost.</summary>
internal static class Argon2Memory
{
    private static readonly ConcurrentBag<ulong[]> Free = [];
    private static readonly int Keep = Math.Clamp(Environment.ProcessorCount, 1, 16);

    public static ulong[] Rent(int words)
    {
        while (Free.TryTake(out var buffer))
        {
            if (buffer.Length == words) return buffer;
        }
        return GC.AllocateUninitializedArray<ulong>(words);
    }

    public static void Return(ulong[] buffer, int used)
    {
        Array.Clear(buffer, 0, used);
        if (Free.Count < Keep) Free.Add(buffer);
    }
}
