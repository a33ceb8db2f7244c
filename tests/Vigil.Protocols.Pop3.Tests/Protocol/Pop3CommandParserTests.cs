using System.Text;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Tests.Protocol;

public sealed class Pop3CommandParserTests
{
    private static Pop3Command? Parse(string line, out string? error) => Pop3CommandParser.Parse(Encoding.UTF8.GetBytes(line), out error);

    [Theory]
    [InlineData("STAT", Pop3Verb.Stat, "")]
    [InlineData("stat", Pop3Verb.Stat, "")]
    [InlineData("List 3", Pop3Verb.List, "3")]
    [InlineData("TOP 1 10", Pop3Verb.Top, "1 10")]
    [InlineData("USER alice@example.test", Pop3Verb.User, "alice@example.test")]
    [InlineData("PASS with spaces  and\ttab", Pop3Verb.Pass, "with spaces  and\ttab")]
    [InlineData("PASS ", Pop3Verb.Pass, "")]
    [InlineData("AUTH PLAIN AGFsaWNlAHNlY3JldA==", Pop3Verb.Auth, "PLAIN AGFsaWNlAHNlY3JldA==")]
    [InlineData("XTND XMIT", Pop3Verb.Unknown, "XMIT")]
    [InlineData("PASS pässwörd", Pop3Verb.Pass, "pässwörd")]
    public void Parses_keyword_and_argument(string line, Pop3Verb verb, string argument)
    {
        var c = Parse(line, out var error);
        Assert.Null(error);
        Assert.Equal(verb, c!.Verb);
        Assert.Equal(argument, c.Argument);
    }

    [Fact]
    public void Arguments_split_on_single_spaces()
    {
        Assert.Equal(["1", "", "2"], Parse("TOP 1  2", out _)!.Arguments);
        Assert.Empty(Parse("STAT", out _)!.Arguments);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" STAT")]
    [InlineData("ST")]
    [InlineData("STATUS")]
    [InlineData("ST4T")]
    [InlineData("STAT\0")]
    [InlineData("LIST\t1")]
    [InlineData("USER a\u007f")]
    [InlineData("RETR 1\r")]
    public void Rejects_lines_that_are_not_commands(string line)
    {
        Assert.Null(Parse(line, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Rejects_invalid_utf8()
    {
        Assert.Null(Pop3CommandParser.Parse([(byte)'U', (byte)'S', (byte)'E', (byte)'R', (byte)' ', 0xC3, 0x28], out var error));
        Assert.Equal("Command is not valid UTF-8", error);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("0", 0)]
    [InlineData("007", 7)]
    [InlineData("999999999", 999999999)]
    public void Numbers(string s, int expected)
    {
        Assert.True(Pop3CommandParser.TryParseNumber(s, out var n));
        Assert.Equal(expected, n);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1a")]
    [InlineData("1000000000")]
    [InlineData("١")]
    public void Not_numbers(string s) => Assert.False(Pop3CommandParser.TryParseNumber(s, out _));
}
