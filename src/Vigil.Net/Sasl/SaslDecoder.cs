using System.Text;

namespace Vigil.Net.Sasl;

/// <summary>Decodes SASL PLAIN (RFC 4616) and LOGIN responses. Pure, shared with IMAP and POP3.</summary>
public static class SaslDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>"authzid NUL authcid NUL passwd", base64. An authzid other than the authcid is refused
    /// (no proxy login).</summary>
    public static bool TryDecodePlain(string base64, out string user, out string password)
    {
        user = password = "";
        if (!TryBase64(base64, out var text)) return false;
        var parts = text.Split('\0');
        if (parts.Length != 3 || parts[1].Length == 0) return false;
        if (parts[0].Length > 0 && !string.Equals(parts[0], parts[1], StringComparison.OrdinalIgnoreCase)) return false;
        user = parts[1];
        password = parts[2];
        return true;
    }

    public static bool TryBase64(string base64, out string text)
    {
        text = "";
        try
        {
            text = StrictUtf8.GetString(Convert.FromBase64String(base64.Trim()));
            return true;
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }
    }
}
