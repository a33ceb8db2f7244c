using System.Buffers;
using System.Text;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Tests.Protocol;

public sealed class DataDecoderTests
{
    /// <summary>Feeds input one split at a time and returns (decoded, consumed, decoder).</summary>
    private static (string Output, int Consumed, DataDecoder Decoder) Decode(string input, int chunk = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();
        var consumed = 0;
        while (consumed < bytes.Length && !decoder.Completed)
        {
            var piece = bytes.AsSpan(consumed, Math.Min(chunk, bytes.Length - consumed));
            consumed += decoder.Decode(piece, output);
        }
        return (Encoding.UTF8.GetString(output.WrittenSpan), consumed, decoder);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    public void Ends_only_at_crlf_dot_crlf_and_unstuffs_dots(int chunk)
    {
        var (output, consumed, d) = Decode("Subject: x\r\n\r\n..dot\r\n...two\r\n.\r\nQUIT\r\n", chunk);
        Assert.True(d.Completed);
        Assert.Equal("Subject: x\r\n\r\n.dot\r\n..two\r\n", output);
        Assert.Equal("Subject: x\r\n\r\n..dot\r\n...two\r\n.\r\n".Length, consumed); // QUIT is left for the command reader
        Assert.False(d.BareLineEnding);
    }

    [Fact]
    public void Empty_message()
    {
        var (output, _, d) = Decode(".\r\n");
        Assert.True(d.Completed);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("a\n.\r\nb\r\n.\r\n")]   // bare LF before the dot: not an end
    [InlineData("a\r\n.\nb\r\n.\r\n")]   // dot followed by bare LF: not an end
    [InlineData("a\r.\r\nb\r\n.\r\n")]   // bare CR before the dot: not an end
    [InlineData("a\r\n.\rb\r\n.\r\n")]   // dot followed by bare CR: not an end
    public void Smuggling_sequences_never_end_the_message_and_are_flagged(string input)
    {
        var (output, consumed, d) = Decode(input);
        Assert.True(d.Completed);
        Assert.Equal(input.Length, consumed); // the whole input is one message
        Assert.True(d.BareLineEnding);
        Assert.Contains("b", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_length_limit_is_1000_octets_including_crlf()
    {
        Assert.False(Decode(new string('x', 998) + "\r\n.\r\n").Decoder.LineTooLong);
        Assert.True(Decode(new string('x', 999) + "\r\n.\r\n").Decoder.LineTooLong);
    }

    [Fact]
    public void Eight_bit_bytes_pass_through_unchanged()
    {
        var (output, _, d) = Decode("Grüße ✓\r\n.\r\n");
        Assert.Equal("Grüße ✓\r\n", output);
        Assert.False(d.BareLineEnding);
    }

    [Fact]
    public void Incomplete_input_is_not_completed()
    {
        var (_, _, d) = Decode("abc\r\n.");
        Assert.False(d.Completed);
    }

    [Fact]
    public void Any_split_of_the_input_decodes_the_same_as_byte_by_byte()
    {
        // The decoder copies runs of ordinary bytes in one piece; runs cut anywhere by the network
        // must give exactly what one-byte-at-a-time decoding gives.
        var random = new Random(20260314);
        var alphabet = "ab.\r\n\r\n.x";
        for (var round = 0; round < 2000; round++)
        {
            var text = new string(Enumerable.Range(0, random.Next(1, 60)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()) + "\r\n.\r\nNEXT";
            var one = Decode(text, 1);
            foreach (var chunk in new[] { 2, 3, 7, int.MaxValue })
            {
                var other = Decode(text, chunk);
                Assert.Equal(one.Output, other.Output);
                Assert.Equal(one.Consumed, other.Consumed);
                Assert.Equal(one.Decoder.BareLineEnding, other.Decoder.BareLineEnding);
                Assert.Equal(one.Decoder.LineTooLong, other.Decoder.LineTooLong);
            }
        }
    }

    [Fact]
    public void Long_lines_are_counted_across_splits()
    {
        var text = new string('y', 600) + new string('z', 399) + "\r\n.\r\n";
        Assert.True(Decode(text, 256).Decoder.LineTooLong);
        Assert.False(Decode(text[1..], 256).Decoder.LineTooLong);
    }
}
