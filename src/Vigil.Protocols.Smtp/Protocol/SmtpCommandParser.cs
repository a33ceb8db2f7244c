using System.Text;

namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>Turns one command line (terminator removed) into a <see cref="SmtpCommand"/>. Pure.</summary>
public static class SmtpCommandParser
{
    /// <summary>RFC 5321 §4.5.3.1.4: 512 octets including CRLF.</summary>
    public const int BaseCommandLimit = 512;

    /// <summary>Room extensions add to MAIL/RCPT: SIZE (RFC 1870 §3: 26), AUTH= (RFC 4954 §5: 500),
    /// RET+ENVID (RFC 3461 §4: 8+100), BODY= and SMTPUTF8 (together under 40); RCPT: ORCPT (500) and
    /// NOTIFY (RFC 3461 §4: 500 for both).</summary>
    public const int MailLimit = BaseCommandLimit + 26 + 500 + 108 + 40;
    public const int RcptLimit = BaseCommandLimit + 500;

    /// <summary>RFC 4954 §4: an AUTH command with initial response may be up to 12288 octets.</summary>
    public const int AuthLimit = 12288;

    /// <summary>The longest line the reader must accept before the verb is known.</summary>
    public const int MaxLine = AuthLimit;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static SmtpParseResult Parse(ReadOnlySpan<byte> line)
    {
        if (line.IndexOf((byte)0) >= 0) return SmtpParseResult.Fail(new SmtpReply(500, "5.5.2", "Syntax error: NUL character in command"));
        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return SmtpParseResult.Fail(new SmtpReply(500, "5.5.2", "Syntax error: invalid UTF-8 in command"));
        }
        if (text.Contains('\r', StringComparison.Ordinal)) return SmtpParseResult.Fail(new SmtpReply(500, "5.5.2", "Syntax error: bare CR in command"));

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verbText = space < 0 ? text : text[..space];
        var argument = space < 0 ? "" : text[(space + 1)..];
        var verb = verbText.ToUpperInvariant() switch
        {
            "HELO" => SmtpVerb.Helo,
            "EHLO" => SmtpVerb.Ehlo,
            "MAIL" => SmtpVerb.Mail,
            "RCPT" => SmtpVerb.Rcpt,
            "DATA" => SmtpVerb.Data,
            "BDAT" => SmtpVerb.Bdat,
            "RSET" => SmtpVerb.Rset,
            "NOOP" => SmtpVerb.Noop,
            "QUIT" => SmtpVerb.Quit,
            "VRFY" => SmtpVerb.Vrfy,
            "EXPN" => SmtpVerb.Expn,
            "HELP" => SmtpVerb.Help,
            "STARTTLS" => SmtpVerb.StartTls,
            "AUTH" => SmtpVerb.Auth,
            _ => SmtpVerb.Unknown,
        };
        var limit = verb switch
        {
            SmtpVerb.Mail => MailLimit,
            SmtpVerb.Rcpt => RcptLimit,
            SmtpVerb.Auth => AuthLimit,
            _ => BaseCommandLimit,
        };
        if (line.Length + 2 > limit) return SmtpParseResult.Fail(SmtpReplies.LineTooLong);
        if (verb == SmtpVerb.Unknown) return SmtpParseResult.Fail(SmtpReplies.UnknownCommand);
        return SmtpParseResult.Ok(new SmtpCommand(verb, argument));
    }
}

/// <summary>Either a command or the error reply for a line that could not be parsed.</summary>
public readonly record struct SmtpParseResult(SmtpCommand? Command, SmtpReply? Error)
{
    public static SmtpParseResult Ok(SmtpCommand c) => new(c, null);
    public static SmtpParseResult Fail(SmtpReply r) => new(null, r);
}
