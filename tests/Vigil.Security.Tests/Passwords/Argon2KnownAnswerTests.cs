using Vigil.Security.Passwords;

namespace Vigil.Security.Tests.Passwords;

public class Argon2KnownAnswerTests
{
    // Salt "0123456789abcdef", password "pässword" (UTF-8), one lane, 32-byte tag. The expected tags
    // were computed by two independent implementations that agree: libsodium (through NSec, what
    // Vigil uses) and the managed Konscious Argon2id 1.3.1, which itself reproduces the reference
    // implementation's vector ($argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc).
    [Theory]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$UDkXHjQauoZeY+k4DmMnK5kw55NftyebQldnBWc4f5Q")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$tmg8kTzmJLkguc2kOGId3nFi6amvRKU5PrSeYJW6QRk")]
    public void Hashes_written_by_earlier_versions_still_verify(string encoded)
    {
        var hasher = new Argon2idPasswordHasher();
        Assert.True(hasher.Verify("pässword", encoded));
        Assert.False(hasher.Verify("password", encoded));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=64,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg$UDkXHjQauoZeY+k4DmMnK5kw55NftyebQldnBWc4f5Q")] // two lanes
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$UDkXHjQauoZeY+k4DmMnK5kw55NftyebQldnBWc4f5Q")] // 8-byte salt
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$UDkXHjQauoZeY+k4DmMnK5kw55NftyebQldnBWc4f5Q")]
    public void Encodings_Vigil_never_writes_do_not_verify(string encoded) =>
        Assert.False(new Argon2idPasswordHasher().Verify("pässword", encoded));

    [Fact]
    public void New_hashes_round_trip_at_the_default_cost()
    {
        var hasher = new Argon2idPasswordHasher();
        var h = hasher.Hash("correct horse");
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", h, StringComparison.Ordinal);
        Assert.True(hasher.Verify("correct horse", h));
    }
}
