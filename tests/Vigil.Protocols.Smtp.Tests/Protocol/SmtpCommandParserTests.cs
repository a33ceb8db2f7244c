using System.Text;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Tests.Protocol;

public sealed class SmtpCommandParserTests
{
    private static SmtpParseResult Parse(string s) => SmtpCommandParser.Parse(Encoding.UTF8.GetBytes(s));

    [Theory]
    [InlineData("EHLO client.test", SmtpVerb.Ehlo, "client.test")]
    [InlineData("ehlo client.test", SmtpVerb.Ehlo, "client.test")]
    [InlineData("HELO x", SmtpVerb.Helo, "x")]
    [InlineData("MAIL FROM:<a@b.test> SIZE=10", SmtpVerb.Mail, "FROM:<a@b.test> SIZE=10")]
    [InlineData("RCPT TO:<a@b.test>", SmtpVerb.Rcpt, "TO:<a@b.test>")]
    [InlineData("DATA", SmtpVerb.Data, "")]
    [InlineData("BDAT 100 LAST", SmtpVerb.Bdat, "100 LAST")]
    [InlineData("RSET", SmtpVerb.Rset, "")]
    [InlineData("NOOP", SmtpVerb.Noop, "")]
    [InlineData("QUIT", SmtpVerb.Quit, "")]
    [InlineData("VRFY bob", SmtpVerb.Vrfy, "bob")]
    [InlineData("EXPN list", SmtpVerb.Expn, "list")]
    [InlineData("HELP", SmtpVerb.Help, "")]
    [InlineData("STARTTLS", SmtpVerb.StartTls, "")]
    [InlineData("AUTH PLAIN abc=", SmtpVerb.Auth, "PLAIN abc=")]
    public void Parses_every_verb(string line, SmtpVerb verb, string argument)
    {
        var r = Parse(line);
        Assert.Null(r.Error);
        Assert.Equal(new SmtpCommand(verb, argument), r.Command);
    }

    [Theory]
    [InlineData("XYZZY", "500 5.5.1 Command unrecognized")]
    [InlineData("", "500 5.5.1 Command unrecognized")]
    [InlineData("NOOP\0", "500 5.5.2 Syntax error: NUL character in command")]
    [InlineData("NOOP\rx", "500 5.5.2 Syntax error: bare CR in command")]
    public void Rejects_bad_lines_byte_exact(string line, string reply)
    {
        var r = Parse(line);
        Assert.Null(r.Command);
        Assert.Equal(reply + "\r\n", Encoding.ASCII.GetString(r.Error!.ToBytes()));
    }

    [Fact]
    public void Rejects_invalid_utf8()
    {
        var r = SmtpCommandParser.Parse([(byte)'N', (byte)'O', (byte)'O', (byte)'P', (byte)' ', 0xC3, 0x28]);
        Assert.Equal("500 5.5.2 Syntax error: invalid UTF-8 in command\r\n", Encoding.ASCII.GetString(r.Error!.ToBytes()));
    }

    [Fact]
    public void Command_line_limit_is_512_octets_with_crlf_and_longer_only_for_mail_rcpt_auth()
    {
        Assert.Null(Parse("NOOP " + new string('a', 505)).Error);             // 510 + CRLF = 512
        Assert.Equal(SmtpReplies.LineTooLong, Parse("NOOP " + new string('a', 506)).Error);
        Assert.Null(Parse("MAIL FROM:<a@b.test> AUTH=" + new string('a', 700)).Error);
        Assert.Equal(SmtpReplies.LineTooLong, Parse("MAIL FROM:<a@b.test> AUTH=" + new string('a', 1200)).Error);
        Assert.Null(Parse("AUTH PLAIN " + new string('a', 10000)).Error);
        Assert.Equal(SmtpReplies.LineTooLong, Parse("AUTH PLAIN " + new string('a', 12280)).Error);
    }

    [Fact]
    public void Multiline_reply_uses_dash_on_all_but_last_line()
    {
        var r = new SmtpReply(250, null, ["host", "PIPELINING", "SIZE 10"]);
        Assert.Equal("250-host\r\n250-PIPELINING\r\n250 SIZE 10\r\n", Encoding.ASCII.GetString(r.ToBytes()));
        Assert.Equal("550-5.1.1 a\r\n550 5.1.1 b\r\n", Encoding.ASCII.GetString(new SmtpReply(550, "5.1.1", ["a", "b"]).ToBytes()));
    }
}
