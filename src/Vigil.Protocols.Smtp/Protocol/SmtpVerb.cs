namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>The SMTP commands Vigil understands (RFC 5321 §4.1 and extensions).</summary>
public enum SmtpVerb
{
    Unknown,
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}
