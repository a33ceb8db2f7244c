using System.Buffers;
using System.Text;
using Vigil.Core.Model;
using Vigil.Protocols.Imap.Protocol.Writing;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class ResponseWriterTests
{
    private static string Write(Action<ImapResponseWriter> write, bool utf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new ImapResponseWriter(buffer) { Utf8 = utf8 };
        write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("with \"quotes\" and \\", "\"with \\\"quotes\\\" and \\\\\"")]
    [InlineData("two\r\nlines", "{10}\r\ntwo\r\nlines")]
    [InlineData("caf\u00e9", "{5}\r\ncaf\u00e9")]
    public void Strings_are_quoted_or_literal(string value, string expected) => Assert.Equal(expected, Write(w => w.String(value)));

    [Fact]
    public void Utf8_is_quoted_once_enabled()
    {
        Assert.Equal("\"caf\u00e9 \\\"x\\\"\"", Write(w => w.String("caf\u00e9 \"x\""), utf8: true));
        Assert.Equal("{4}\r\na\r\nb", Write(w => w.String("a\r\nb"), utf8: true));
    }

    [Fact]
    public void Long_strings_become_literals()
    {
        var s = new string('x', ImapResponseWriter.MaxQuoted + 1);
        Assert.Equal("{1025}\r\n" + s, Write(w => w.String(s)));
    }

    [Fact]
    public void NString_and_AString()
    {
        Assert.Equal("NIL", Write(w => w.NString(null)));
        Assert.Equal("\"NIL\"", Write(w => w.AString("NIL")));
        Assert.Equal("Sent", Write(w => w.AString("Sent")));
        Assert.Equal("\"Sent Items\"", Write(w => w.AString("Sent Items")));
        Assert.Equal("\"a]b\"", Write(w => w.AString("a]b")));
        Assert.Equal("\"50%\"", Write(w => w.AString("50%")));
    }

    [Fact]
    public void Mailbox_names_follow_the_utf8_state()
    {
        Assert.Equal("Entw&APw-rfe", Write(w => w.Mailbox("Entwürfe")));
        Assert.Equal("\"Entwürfe\"", Write(w => w.Mailbox("Entwürfe"), utf8: true));
        Assert.Equal("INBOX", Write(w => w.Mailbox("inbox")));
        Assert.Equal("\"Tom &- Jerry\"", Write(w => w.Mailbox("Tom & Jerry")));
    }

    [Fact]
    public void Flags_keywords_and_recent()
    {
        Assert.Equal("()", Write(w => w.Flags(MessageFlags.None, [], false)));
        Assert.Equal("(\\Seen \\Deleted $Forwarded \\Recent)", Write(w => w.Flags(MessageFlags.Seen | MessageFlags.Deleted, ["$Forwarded"], true)));
        Assert.Equal("(\\Seen \\Answered \\Flagged \\Deleted \\Draft)", Write(w => w.Flags((MessageFlags)31, [], false)));
    }

    [Fact]
    public void Status_responses()
    {
        Assert.Equal("a1 OK [READ-WRITE] SELECT completed\r\n", Write(w => w.Tagged("a1", "OK", "READ-WRITE", "SELECT completed")));
        Assert.Equal("* BAD bad\x01 text?\r\n".Replace("\x01", "?"), Write(w => w.UntaggedStatus("BAD", null, "bad\u0001 text\u00e9")));
        Assert.Equal("+ Ready\r\n", Write(w => w.Continuation("Ready")));
        Assert.Equal("~{3}\r\na\0b", Write(w => w.Literal("a\0b"u8, binary: true)));
        Assert.Equal("18446744073709551615 -1", Write(w => w.Number(ulong.MaxValue).Sp().Number(-1L)));
    }
}
