using System.Globalization;
using System.Text;

namespace Vigil.Bench.Messages;

/// <summary>Deterministic test messages: the same id always gives the same bytes, so a load run
/// against one server and a Maildir written for another hold identical mail. Each message ends
/// with a line <c>END-OF-&lt;id&gt;</c>, which the durability check uses to detect truncation.</summary>
public static class MessageFactory
{
    private const string Line = "The quick brown fox jumps over the lazy dog while the mail server keeps count.";

    /// <summary>An RFC 5322 message of about <paramref name="size"/> bytes, CRLF line endings, no line
    /// starting with a dot (so no dot-stuffing is ever needed).</summary>
    public static byte[] Create(string id, string from, string to, int size, DateTimeOffset date)
    {
        var sb = new StringBuilder(size + 512);
        sb.Append("From: Load Generator <").Append(from).Append(">\r\n");
        sb.Append("To: <").Append(to).Append(">\r\n");
        sb.Append("Subject: ").Append(id).Append("\r\n");
        sb.Append("Date: ").Append(date.ToString("ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture).Remove(29, 1)).Append("\r\n");
        sb.Append("Message-ID: <").Append(id).Append("@bench.test>\r\n");
        sb.Append("MIME-Version: 1.0\r\n");
        sb.Append("Content-Type: text/plain; charset=us-ascii\r\n");
        sb.Append("X-Bench-Id: ").Append(id).Append("\r\n\r\n");
        var trailer = "END-OF-" + id + "\r\n";
        var n = 0;
        while (sb.Length + trailer.Length + Line.Length + 12 <= size)
        {
            sb.Append(n.ToString("D8", CultureInfo.InvariantCulture)).Append(' ').Append(Line).Append("\r\n");
            n++;
        }
        sb.Append(trailer);
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
