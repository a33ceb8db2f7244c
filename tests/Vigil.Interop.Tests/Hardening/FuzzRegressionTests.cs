using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Inputs the fuzzers found, replayed against a live server: each gets the protocol's
/// error and the session carries on.</summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    [InlineData("a1 LOGIN {9223372036854775808}")]  // 19 digits: wrapped negative, taken for an empty literal, then crashed the parser
    [InlineData("a1 APPEND INBOX {9999999999999999999}")]
    [InlineData("a1 LOGIN {99999999999999999999}")]  // 20 digits
    public async Task IMAP_literal_sizes_that_overflow_are_refused_and_the_session_goes_on(string line)
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await RawClient.ConnectAsync(server.EndPoint("imap"));
        Assert.StartsWith("* OK", await c.ReadLineAsync());
        var reply = await c.CommandAsync(line);
        Assert.Matches("^a1 (BAD|NO) ", reply);
        Assert.StartsWith("a2 OK", await c.CommandAsync("a2 NOOP"));
    }
}
