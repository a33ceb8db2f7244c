using System.Globalization;
using System.Net;
using System.Text;

namespace Vigil.Protocols.Smtp.Server;

/// <summary>Builds the trace fields Vigil prepends: Return-Path and Received (RFC 5321 §4.4, with
/// the RFC 3848 / RFC 6531 §3.7.3 protocol names).</summary>
public static class ReceivedHeader
{
    public static string Protocol(bool ehlo, bool tls, bool authenticated, bool utf8)
    {
        if (!ehlo) return "SMTP";
        var name = new StringBuilder(utf8 ? "UTF8SMTP" : "ESMTP");
        if (tls) name.Append('S');
        if (authenticated) name.Append('A');
        return name.ToString();
    }

    /// <summary>The recipient is only named when there is exactly one, so a Bcc recipient is never
    /// revealed to the others.</summary>
    public static byte[] Build(string reversePath, string helo, IPAddress client, string hostname, string protocol, string queueId, string? tls, string? singleRecipient, DateTimeOffset time)
    {
        var sb = new StringBuilder();
        sb.Append("Return-Path: <").Append(reversePath).Append(">\r\n");
        sb.Append("Received: from ").Append(Sanitise(helo)).Append(" ([").Append(client).Append("])\r\n");
        sb.Append("\tby ").Append(hostname).Append(" (Vigil) with ").Append(protocol).Append(" id ").Append(queueId);
        if (tls is not null) sb.Append("\r\n\t(").Append(tls).Append(')');
        if (singleRecipient is not null) sb.Append("\r\n\tfor <").Append(singleRecipient).Append('>');
        sb.Append("; ").Append(time.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture))
          .Append(time.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal)).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    // The HELO name is client-supplied: keep printable ASCII only and bound its length.
    private static string Sanitise(string helo)
    {
        var clean = new string(helo.Where(c => c is > ' ' and < (char)127 and not '(' and not ')').Take(255).ToArray());
        return clean.Length == 0 ? "unknown" : clean;
    }
}
