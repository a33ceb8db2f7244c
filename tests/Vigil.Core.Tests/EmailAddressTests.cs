using Vigil.Core.Addressing;

namespace Vigil.Core.Tests;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("Bob@Example.TEST", "Bob", "example.test")]
    [InlineData("jörg@bücher.test", "jörg", "xn--bcher-kva.test")]
    [InlineData("a@b@c.test", "a@b", "c.test")]
    public void Parses_and_normalises_the_domain(string text, string local, string domain)
    {
        Assert.True(EmailAddress.TryParse(text, out var a));
        Assert.Equal(new EmailAddress(local, domain), a);
    }

    [Theory]
    [InlineData("nodomain")]
    [InlineData("@x.test")]
    [InlineData("a@")]
    [InlineData("a@example.test.")]
    [InlineData("a@[127.0.0.1]")]
    [InlineData("a@exa..mple.test")]
    [InlineData("a\r\n@x.test")]
    public void Rejects_what_could_never_be_a_local_address(string text) => Assert.False(EmailAddress.TryParse(text, out _));

    [Fact]
    public void Plus_tag_is_split_off()
    {
        Assert.Equal("bob", EmailAddress.Parse("bob+news@x.test").LocalPartWithoutTag());
        Assert.Null(EmailAddress.Parse("bob@x.test").LocalPartWithoutTag());
        Assert.Null(EmailAddress.Parse("+x@x.test").LocalPartWithoutTag());
    }
}
