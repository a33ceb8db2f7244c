using System.Text;

namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>An SMTP reply: code, RFC 3463 enhanced status code and text, possibly multi-line.</summary>
public sealed record SmtpReply(int Code, string? Enhanced, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string? enhanced, string text) : this(code, enhanced, [text]) { }

    public bool IsPositive => Code < 400;

    /// <summary>Formats per RFC 5321 §4.2.1: every line but the last uses "code-", the last "code ".
    /// The enhanced code is repeated on each line (RFC 2034 §4).</summary>
    public byte[] ToBytes()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < Lines.Count; i++)
        {
            sb.Append(Code).Append(i == Lines.Count - 1 ? ' ' : '-');
            if (Enhanced is not null) sb.Append(Enhanced).Append(' ');
            sb.Append(Lines[i]).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes()).TrimEnd();
}
