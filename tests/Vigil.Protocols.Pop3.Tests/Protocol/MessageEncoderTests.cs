using System.Buffers;
using System.Text;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Tests.Protocol;

public sealed class MessageEncoderTests
{
    private static string Encode(string message, int? top = null, int split = int.MaxValue)
    {
        var bytes = Encoding.Latin1.GetBytes(message);
        var e = new MessageEncoder(top);
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < bytes.Length; i += split) e.Write(bytes.AsSpan(i, Math.Min(split, bytes.Length - i)), output);
        e.Complete(output);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData(".\r\n", "..\r\n.\r\n")]
    [InlineData(".leading\r\n..two\r\nmid.dle\r\n", "..leading\r\n...two\r\nmid.dle\r\n.\r\n")]
    [InlineData("no final crlf", "no final crlf\r\n.\r\n")]
    [InlineData("a\r\n.", "a\r\n..\r\n.\r\n")]
    [InlineData("bare\nlf\n.x\n", "bare\r\nlf\r\n..x\r\n.\r\n")]
    [InlineData("bare\rcr\r\n", "bare\rcr\r\n.\r\n")]
    [InlineData("\r.x\r\n", "\r.x\r\n.\r\n")]
    [InlineData("ends in cr\r", "ends in cr\r\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    [InlineData("\r\n", "\r\n.\r\n")]
    [InlineData("8bit \u00e9\u00ff\u0080\r\n", "8bit \u00e9\u00ff\u0080\r\n.\r\n")]
    public void Retr_stuffs_dots_and_ends_every_line_in_crlf(string message, string wire)
    {
        Assert.Equal(wire, Encode(message));
        // the same bytes whatever the read size (a CR and its LF may arrive in different reads)
        Assert.Equal(wire, Encode(message, split: 1));
        Assert.Equal(wire, Encode(message, split: 2));
    }

    [Theory]
    [InlineData("a\r\nb\r\n")]
    [InlineData(".x\r\n..y\r\nno end")]
    [InlineData("lf\nonly")]
    [InlineData("cr\rcr\r")]
    [InlineData("")]
    public void Canonical_length_equals_the_octets_a_client_holds_after_unstuffing(string message)
    {
        var wire = Encode(message);
        var lines = wire[..^3].Split("\r\n");
        var unstuffed = string.Join("\r\n", lines.Select(l => l.StartsWith('.') ? l[1..] : l));
        Assert.Equal(Encoding.Latin1.GetByteCount(unstuffed), MessageEncoder.Measure(Encoding.Latin1.GetBytes(message)));
    }

    private const string Message = "Subject: t\r\nFrom: a@b\r\n\r\nline1\r\n.line2\r\nline3\r\n";

    [Theory]
    [InlineData(0, "Subject: t\r\nFrom: a@b\r\n\r\n.\r\n")]
    [InlineData(1, "Subject: t\r\nFrom: a@b\r\n\r\nline1\r\n.\r\n")]
    [InlineData(2, "Subject: t\r\nFrom: a@b\r\n\r\nline1\r\n..line2\r\n.\r\n")]
    [InlineData(3, "Subject: t\r\nFrom: a@b\r\n\r\nline1\r\n..line2\r\nline3\r\n.\r\n")]
    [InlineData(99, "Subject: t\r\nFrom: a@b\r\n\r\nline1\r\n..line2\r\nline3\r\n.\r\n")]
    public void Top_sends_header_blank_line_and_n_body_lines(int n, string wire)
    {
        Assert.Equal(wire, Encode(Message, n));
        Assert.Equal(wire, Encode(Message, n, split: 1));
    }

    [Fact]
    public void Top_of_a_message_without_body_sends_it_all()
    {
        Assert.Equal("Subject: x\r\n.\r\n", Encode("Subject: x", 5));
    }

    [Fact]
    public void Top_with_bare_lf_header_end()
    {
        Assert.Equal("S: x\r\n\r\nb1\r\n.\r\n", Encode("S: x\n\nb1\nb2\n", 1));
    }
}
