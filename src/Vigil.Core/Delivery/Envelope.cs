namespace Vigil.Core.Delivery;

/// <summary>The SMTP envelope of a message with its RFC 3461 DSN parameters, kept with the message.</summary>
public sealed record Envelope(
    string MailFrom,
    IReadOnlyList<EnvelopeRecipient> Recipients,
    string? EnvId,
    DsnReturn Ret,
    BodyType Body,
    bool SmtpUtf8,
    string? AuthenticatedUser,
    string ClientAddress,
    string ClientHelo)
{
    /// <summary>True for the null reverse-path <c>&lt;&gt;</c>, which never gets a bounce.</summary>
    public bool IsNullSender => MailFrom.Length == 0;
}

/// <summary>One RCPT TO with its DSN parameters.</summary>
public sealed record EnvelopeRecipient(string Address, DsnNotify Notify, string? OriginalRecipient);

/// <summary>RFC 3461 §4.1 NOTIFY; <see cref="Default"/> means none was given.</summary>
[Flags]
public enum DsnNotify
{
    Default = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}

/// <summary>RFC 3461 §4.3 RET.</summary>
public enum DsnReturn
{
    Default,
    Full,
    Headers,
}

/// <summary>RFC 6152 / RFC 3030 BODY parameter.</summary>
public enum BodyType
{
    SevenBit,
    EightBitMime,
    BinaryMime,
}
