using System.Globalization;
using System.Text;

namespace Vigil.Ops.Alerts;

/// <summary>Formats an alert as an RFC 5322 message for the admin's mailbox: plain UTF-8 text,
/// marked <c>Auto-Submitted: auto-generated</c> (RFC 3834) so no auto-responder answers it.</summary>
public static class AlertMessage
{
    public static byte[] Format(Alert alert, AlertOptions options, string to)
    {
        var subject = Ascii($"[Vigil ALERT] {options.Hostname}: {alert.Kind} {alert.Subject}", 180);
        var text = new StringBuilder()
            .Append("Vigil on ").Append(options.Hostname).Append(" (instance ").Append(options.InstanceId).Append(") raised an alert.\r\n\r\n")
            .Append("Kind:    ").Append(alert.Kind).Append("\r\n")
            .Append("Subject: ").Append(OneLine(alert.Subject)).Append("\r\n")
            .Append("Detail:  ").Append(OneLine(alert.Detail)).Append("\r\n")
            .Append("Source:  ").Append(alert.Source).Append("\r\n")
            .Append("Time:    ").Append(alert.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append("\r\n\r\n")
            .Append("What to do: docs/incident-response.md. The audit log has this alert as alert.").Append(alert.Kind).Append(".\r\n");
        var headers = new StringBuilder()
            .Append("From: Vigil <postmaster@").Append(options.Hostname).Append(">\r\n")
            .Append("To: <").Append(to).Append(">\r\n")
            .Append("Subject: ").Append(subject).Append("\r\n")
            .Append("Date: ").Append(alert.Time.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(Guid.NewGuid().ToString("N")).Append("@").Append(options.Hostname).Append(">\r\n")
            .Append("Auto-Submitted: auto-generated\r\n")
            .Append("X-Vigil-Alert: ").Append(alert.Kind).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        return Encoding.UTF8.GetBytes(headers.ToString() + text);
    }

    /// <summary>Header text must be ASCII without line breaks (RFC 5322 §2.2); anything else becomes '?'.</summary>
    private static string Ascii(string text, int max)
    {
        var s = new string(text.Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());
        return s.Length <= max ? s : s[..max];
    }

    private static string OneLine(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
