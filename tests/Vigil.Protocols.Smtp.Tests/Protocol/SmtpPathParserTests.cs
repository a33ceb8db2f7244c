using Vigil.Core.Delivery;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Tests.Protocol;

public sealed class SmtpPathParserTests
{
    private static SmtpPath Ok(string arg, string keyword = "FROM:")
    {
        Assert.True(SmtpPathParser.TryParse(arg, keyword, allowNull: true, out var path, out _, out var error), error);
        return path;
    }

    private static string Fail(string arg, string keyword = "TO:", bool allowNull = false)
    {
        Assert.False(SmtpPathParser.TryParse(arg, keyword, allowNull, out _, out _, out var error));
        return error;
    }

    [Fact]
    public void Parses_plain_null_quoted_route_utf8_and_postmaster()
    {
        Assert.Equal(new SmtpPath("a", "b.test", false), Ok("FROM:<a@b.test>"));
        Assert.True(Ok("FROM:<>").IsNull);
        Assert.Equal(new SmtpPath("a", "b.test", false), Ok("from: <a@b.test>")); // tolerated space after colon
        Assert.Equal(new SmtpPath("x y@z", "b.test", false), Ok("FROM:<\"x y@z\"@b.test>"));
        Assert.Equal(new SmtpPath("a\"b", "b.test", false), Ok("FROM:<\"a\\\"b\"@b.test>"));
        Assert.Equal(new SmtpPath("user", "final.test", true), Ok("TO:<@relay.test,@other.test:user@final.test>", "TO:"));
        Assert.Equal(new SmtpPath("jörg", "bücher.test", false), Ok("FROM:<jörg@bücher.test>"));
        Assert.True(Ok("FROM:<jörg@b.test>").HasNonAscii);
        Assert.Equal(new SmtpPath("Postmaster", null, false), Ok("TO:<Postmaster>", "TO:"));
        Assert.True(Ok("TO:<a@[127.0.0.1]>", "TO:").IsAddressLiteral);
    }

    [Theory]
    [InlineData("TO:a@b.test", "Syntax: address must be in angle brackets")]
    [InlineData("TO:<a@b.test", "Syntax: missing '>'")]
    [InlineData("TO:<>", "Syntax: null path not allowed here")]
    [InlineData("TO:<user>", "Syntax: address must be fully qualified")]
    [InlineData("TO:<a..b@b.test>", "Syntax error in mailbox")]
    [InlineData("TO:<a@b.test.>", "Syntax error in mailbox")]
    [InlineData("TO:<a@-b.test>", "Syntax error in mailbox")]
    [InlineData("TO:<a b@b.test>", "Syntax error in mailbox")]
    [InlineData("TO:<a@b.test>X", "Syntax: expected space after address")]
    [InlineData("FROM:<a@b.test>", "Syntax: expected TO:<address>")]
    public void Rejects_malformed_paths(string arg, string error) => Assert.Equal(error, Fail(arg));

    [Fact]
    public void Mail_parameters_are_parsed_and_validated()
    {
        Assert.True(SmtpPathParser.TryParse("FROM:<a@b.test> SIZE=1000 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x+2By AUTH=<>", "FROM:", true, out _, out var raw, out _));
        Assert.True(MailParameters.TryParse(raw, out var p, out _));
        Assert.Equal(new MailParameters(1000, BodyType.EightBitMime, true, DsnReturn.Headers, "x+y", "<>"), p);

        Assert.True(SmtpPathParser.TryParse("FROM:<a@b.test> FOO=1", "FROM:", true, out _, out raw, out _));
        Assert.False(MailParameters.TryParse(raw, out _, out var e));
        Assert.Equal("555 5.5.4 Unsupported parameter FOO", e!.ToString());

        Assert.True(SmtpPathParser.TryParse("FROM:<a@b.test> SIZE=big", "FROM:", true, out _, out raw, out _));
        Assert.False(MailParameters.TryParse(raw, out _, out e));
        Assert.Equal("501 5.5.4 Invalid value for SIZE", e!.ToString());

        Assert.True(SmtpPathParser.TryParse("FROM:<a@b.test> SIZE=1 SIZE=2", "FROM:", true, out _, out raw, out _));
        Assert.False(MailParameters.TryParse(raw, out _, out e));
        Assert.Equal("501 5.5.4 Duplicate parameter SIZE", e!.ToString());
    }

    [Fact]
    public void Rcpt_dsn_parameters_follow_rfc3461()
    {
        Assert.True(SmtpPathParser.TryParse("TO:<a@b.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+40b.test", "TO:", false, out _, out var raw, out _));
        Assert.True(RcptParameters.TryParse(raw, out var p, out _));
        Assert.Equal(new RcptParameters(DsnNotify.Success | DsnNotify.Delay, "rfc822;a@b.test"), p);

        Assert.True(SmtpPathParser.TryParse("TO:<a@b.test> NOTIFY=NEVER,SUCCESS", "TO:", false, out _, out raw, out _));
        Assert.False(RcptParameters.TryParse(raw, out _, out var e));
        Assert.Equal("501 5.5.4 Invalid value for NOTIFY", e!.ToString());
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a+2Bb+3Dc", "a+b=c")]
    [InlineData("+20", " ")]
    public void Xtext_round_trips(string encoded, string decoded)
    {
        Assert.True(XText.TryDecode(encoded, out var d));
        Assert.Equal(decoded, d);
        Assert.True(XText.TryDecode(XText.Encode(decoded), out var again));
        Assert.Equal(decoded, again);
    }

    [Theory]
    [InlineData("a=b")]
    [InlineData("+4")]
    [InlineData("+ZZ")]
    [InlineData("a b")]
    public void Xtext_rejects_bad_input(string encoded) => Assert.False(XText.TryDecode(encoded, out _));
}
