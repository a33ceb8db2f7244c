namespace Vigil.Host.Config;

/// <summary>Credential hashing cost. Defaults are OWASP's Argon2id minimum; tests lower them.</summary>
public sealed class SecurityConfig
{
    public int Argon2MemoryKiB { get; set; } = 19456;
    public int Argon2Iterations { get; set; } = 2;
}
