using System.Text;
using Vigil.Protocols.Imap.Protocol;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class SequenceSetTests
{
    private static SequenceSet Parse(string s)
    {
        Assert.True(SequenceSet.TryParse(Encoding.ASCII.GetBytes(s), out var set), s);
        return set;
    }

    [Theory]
    [InlineData("1", 5, new[] { 1 })]
    [InlineData("2:4", 5, new[] { 2, 3, 4 })]
    [InlineData("4:2", 5, new[] { 2, 3, 4 })]
    [InlineData("*", 5, new[] { 5 })]
    [InlineData("3:*", 5, new[] { 3, 4, 5 })]
    [InlineData("*:4", 5, new[] { 4, 5 })]
    [InlineData("1,3,1:2", 5, new[] { 1, 2, 3 })]
    public void Resolves_sequence_numbers(string text, int count, int[] expected)
    {
        Assert.True(Parse(text).TryResolveSequence(count, out var numbers));
        Assert.Equal(expected, numbers);
    }

    [Theory]
    [InlineData("6", 5)]
    [InlineData("1:6", 5)]
    [InlineData("*", 0)]
    public void Sequence_numbers_outside_the_mailbox_are_an_error(string text, int count) =>
        Assert.False(Parse(text).TryResolveSequence(count, out _));

    [Theory]
    [InlineData("1:*", new[] { 1, 2, 3, 4 })]
    [InlineData("5", new[] { 2 })]
    [InlineData("6:9", new int[0])]
    [InlineData("100:*", new[] { 4 })] // RFC 9051 §9: "*" is the largest UID, so 100:* = 20:100
    [InlineData("*", new[] { 4 })]
    [InlineData("1:3,10,20", new[] { 1, 3, 4 })]
    public void Resolves_uids_to_positions(string text, int[] expected) =>
        Assert.Equal(expected, Parse(text).ResolveUids(new uint[] { 2, 5, 10, 20 }));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1:")]
    [InlineData(",1")]
    [InlineData("1,,2")]
    [InlineData("01")]
    [InlineData("4294967296")]
    [InlineData("1:2:3")]
    [InlineData("a")]
    public void Rejects_invalid_sets(string text) => Assert.False(SequenceSet.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Dollar_is_the_saved_result() => Assert.True(Parse("$").IsSavedResult);

    [Fact]
    public void Formats_compactly()
    {
        Assert.Equal("1:3,7,9:10", SequenceSet.Format(new uint[] { 1, 2, 3, 7, 9, 10 }));
        Assert.Equal("", SequenceSet.Format([]));
        Assert.Equal("4294967295", SequenceSet.Format(new[] { uint.MaxValue }));
        Assert.Equal("1:*,5", Parse("1:*,5").ToString());
    }
}
