using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using Vigil.Core.Delivery;

namespace Vigil.Core.Outbound.Dsn;

/// <summary>Builds an RFC 3464 delivery status notification: a multipart/report
/// (RFC 6522) with a human-readable part, a message/delivery-status part (one per-message group,
/// one group per recipient) and the returned original — whole (message/rfc822) or its header
/// block only (text/rfc822-headers) as RET asks (RFC 3461 §4.3).</summary>
public static class DsnBuilder
{
    public static MimeMessage Build(DsnContent content)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{content.ReportingMta}"));
        message.To.Add(MailboxAddress.Parse(content.Envelope.MailFrom));
        message.Subject = Subject(content.Recipients);
        message.Date = content.Created;
        message.MessageId = $"{content.QueueId}.{content.Created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}@{content.ReportingMta}";
        // RFC 3834 §5: machine-generated, so responders and vacation scripts stay quiet.
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = HumanReadable(content) },
            StatusPart(content),
        };
        if (content.Original is { } original) report.Add(original);
        message.Body = report;
        return message;
    }

    private static string Subject(IReadOnlyList<DsnRecipient> recipients)
    {
        if (recipients.Any(r => r.Action == DsnAction.Failed)) return "Undelivered Mail Returned to Sender";
        if (recipients.Any(r => r.Action == DsnAction.Delayed)) return "Delayed Mail (still being retried)";
        return "Successful Mail Delivery Report";
    }

    private static string HumanReadable(DsnContent c)
    {
        var text = new StringBuilder();
        text.Append("This is the mail system at host ").Append(c.ReportingMta).Append(".\r\n\r\n");
        foreach (var group in c.Recipients.GroupBy(r => r.Action))
        {
            text.Append(group.Key switch
            {
                DsnAction.Failed => "Your message could not be delivered to the following recipients. This is a permanent error; no further attempts will be made.",
                DsnAction.Delayed => $"Your message could not be delivered yet to the following recipients. Delivery will be retried until {Rfc5322(c.RetryUntil)}; you do not need to resend it.",
                _ => "Your message was relayed to the following recipients. The receiving system does not report delivery, so this is the last notice you will receive.",
            }).Append("\r\n\r\n");
            foreach (var r in group)
            {
                text.Append("<").Append(r.FinalRecipient).Append(">");
                if (r.RemoteMta is not null) text.Append(" (host ").Append(r.RemoteMta).Append(')');
                text.Append("\r\n");
                if (r.Diagnostic is not null) text.Append("    ").Append(r.Diagnostic).Append("\r\n");
            }
            text.Append("\r\n");
        }
        return text.ToString();
    }

    private static MessageDeliveryStatus StatusPart(DsnContent c)
    {
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", "dns; " + c.ReportingMta },
            { "X-Vigil-Queue-ID", c.QueueId },
        };
        // RFC 3464 §2.2.1: present whenever the original transaction carried ENVID.
        if (c.Envelope.EnvId is not null) perMessage.Add("Original-Envelope-Id", c.Envelope.EnvId);
        perMessage.Add("Arrival-Date", Rfc5322(c.Created));
        status.StatusGroups.Add(perMessage);

        foreach (var r in c.Recipients)
        {
            var group = new HeaderList();
            // §2.3.1: only when ORCPT was given; the value is "addr-type;address".
            if (r.OriginalRecipient is not null) group.Add("Original-Recipient", FieldValue(r.OriginalRecipient));
            group.Add("Final-Recipient", "rfc822; " + r.FinalRecipient);
            group.Add("Action", r.Action.ToString().ToLowerInvariant());
            group.Add("Status", r.Status);
            if (r.RemoteMta is not null) group.Add("Remote-MTA", "dns; " + r.RemoteMta);
            if (r.Diagnostic is not null) group.Add("Diagnostic-Code", r.Diagnostic);
            if (r.LastAttempt is { } last) group.Add("Last-Attempt-Date", Rfc5322(last));
            if (r.Action == DsnAction.Delayed) group.Add("Will-Retry-Until", Rfc5322(c.RetryUntil));
            status.StatusGroups.Add(group);
        }
        return status;
    }

    /// <summary>"rfc822;a@b" as stored from ORCPT becomes "rfc822; a@b".</summary>
    private static string FieldValue(string typed)
    {
        var semi = typed.IndexOf(';', StringComparison.Ordinal);
        return semi < 0 ? "rfc822; " + typed : typed[..semi] + "; " + typed[(semi + 1)..].Trim();
    }

    private static string Rfc5322(DateTimeOffset time) => DateUtils.FormatDate(time);
}

/// <summary>Everything a DSN says. <see cref="Original"/> is the returned message part, or null.</summary>
public sealed record DsnContent(
    string ReportingMta,
    string QueueId,
    Envelope Envelope,
    DateTimeOffset Created,
    DateTimeOffset RetryUntil,
    IReadOnlyList<DsnRecipient> Recipients,
    MimeEntity? Original);

/// <summary>One per-recipient group of a DSN (RFC 3464 §2.3).</summary>
public sealed record DsnRecipient(
    string FinalRecipient,
    string? OriginalRecipient,
    DsnAction Action,
    string Status,
    string? RemoteMta,
    string? Diagnostic,
    DateTimeOffset? LastAttempt);
