using System.Globalization;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Vigil.Core.Outbound;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Reads the class and RFC 3463 enhanced status code out of a remote SMTP reply.</summary>
public static partial class SmtpReplyStatus
{
    [GeneratedRegex(@"^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)")]
    private static partial Regex Enhanced();

    public static RecipientResult ToResult(long recipientId, int code, string text, string remoteMta, bool remoteDsn)
    {
        var outcome = code switch
        {
            >= 200 and < 300 => AttemptOutcome.Delivered,
            >= 500 and < 600 => AttemptOutcome.Failed,
            _ => AttemptOutcome.Deferred,
        };
        var match = Enhanced().Match(text);
        // RFC 3463 §2: the enhanced code's class must agree with the reply code; when it does not
        // (or is missing) the reply code decides.
        var status = match.Success && match.Groups[1].Value == (code / 100).ToString(CultureInfo.InvariantCulture)
            ? match.Value
            : $"{(outcome == AttemptOutcome.Deferred ? 4 : code / 100).ToString(CultureInfo.InvariantCulture)}.0.0";
        var diagnostic = $"{code.ToString(CultureInfo.InvariantCulture)} {OneLine(text)}";
        return new RecipientResult(recipientId, outcome, status, diagnostic, true, remoteMta, remoteDsn);
    }

    public static RecipientResult ToResult(long recipientId, SmtpResponse response, string remoteMta, bool remoteDsn) =>
        ToResult(recipientId, (int)response.StatusCode, response.Response, remoteMta, remoteDsn);

    private static string OneLine(string text) => text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ').Trim();
}
