namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>A reverse- or forward-path from MAIL/RCPT (RFC 5321 §4.1.2). A source route
/// (<c>@a,@b:</c>) is parsed and dropped as §4.1.1.3 and Appendix C allow; the remaining mailbox is
/// what counts for routing and relay checks.</summary>
public sealed record SmtpPath(string LocalPart, string? Domain, bool HadSourceRoute)
{
    public static readonly SmtpPath Null = new("", null, false);

    public bool IsNull => LocalPart.Length == 0 && Domain is null;

    /// <summary>The local part as given, unquoted (for a quoted local part, the quotes and
    /// backslash escapes are removed).</summary>
    public string Address => Domain is null ? LocalPart : $"{LocalPart}@{Domain}";

    public bool IsAddressLiteral => Domain is not null && Domain.StartsWith('[');

    public bool HasNonAscii => Address.Any(c => c > 127);
}
