using System.Text;

namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>A single-line status response: "+OK text" or "-ERR [CODE] text" (RFC 1939 §3,
/// RFC 2449 §8). Text is reduced to printable ASCII so nothing a client sent can inject a line.</summary>
public sealed record Pop3Response(bool Ok, string? Code, string Text)
{
    /// <summary>RFC 2449 §4: a response line is at most 512 octets including the CRLF.</summary>
    public const int MaxLine = 512;

    public static Pop3Response Success(string text) => new(true, null, text);
    public static Pop3Response Error(string text) => new(false, null, text);
    public static Pop3Response Error(string code, string text) => new(false, code, text);

    public byte[] ToBytes()
    {
        var sb = new StringBuilder(Ok ? "+OK" : "-ERR");
        if (Code is not null) sb.Append(" [").Append(Code).Append(']');
        var text = Printable(Text);
        if (text.Length > 0) sb.Append(' ').Append(text);
        if (sb.Length > MaxLine - 2) sb.Length = MaxLine - 2;
        sb.Append("\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public override string ToString() => Encoding.ASCII.GetString(ToBytes()).TrimEnd();

    internal static string Printable(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) sb.Append(c is >= ' ' and < (char)127 ? c : '?');
        return sb.ToString();
    }
}
