using Vigil.Core.Accounts;

namespace Vigil.Security.Tests.Support;

/// <summary>Counts password verifications (the Argon2id work a login costs) and how many ran at once.</summary>
public sealed class CountingHasher(IPasswordHasher inner) : IPasswordHasher
{
    private int _running;
    public int Verifications;
    public int MaxConcurrent;
    public TimeSpan Delay;
    public string Hash(string password) => inner.Hash(password);
    public bool Verify(string password, string encodedHash)
    {
        Interlocked.Increment(ref Verifications);
        var now = Interlocked.Increment(ref _running);
        lock (this) MaxConcurrent = Math.Max(MaxConcurrent, now);
        Thread.Sleep(Delay);
        Interlocked.Decrement(ref _running);
        return inner.Verify(password, encodedHash);
    }
}
