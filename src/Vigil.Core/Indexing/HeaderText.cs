using System.Text;

namespace Vigil.Core.Indexing;

/// <summary>Turns a raw header value into the single-line form IMAP shows: folding removed
/// (RFC 5322 §2.2.3: CRLF followed by WSP is a fold) and surrounding white space trimmed.
/// Bytes are read as UTF-8 (RFC 6532), falling back to Latin-1 for invalid sequences.</summary>
public static class HeaderText
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static string Unfold(ReadOnlySpan<byte> raw)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(raw);
        }
        if (!text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal)) return text.Trim();
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\r' or '\n') continue;
            sb.Append(c);
        }
        return sb.ToString().Trim();
    }
}
