using System.Text;

namespace Vigil.Protocols.Imap.Protocol;

/// <summary>Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself
/// except '&amp;', written "&amp;-"; everything else is UTF-16 in modified base64 (',' for '/')
/// between '&amp;' and '-'.</summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string name)
    {
        if (IsPlain(name)) return name;
        var sb = new StringBuilder(name.Length + 8);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c is >= ' ' and <= '~')
            {
                sb.Append(c == '&' ? "&-" : c.ToString());
                i++;
                continue;
            }
            var start = i;
            while (i < name.Length && name[i] is not (>= ' ' and <= '~')) i++;
            sb.Append('&');
            AppendBase64(sb, Encoding.BigEndianUnicode.GetBytes(name, start, i - start));
            sb.Append('-');
        }
        return sb.ToString();
    }

    /// <summary>Decodes a name; false when it is not valid modified UTF-7 (a client must then get NO/BAD).</summary>
    public static bool TryDecode(string encoded, out string name)
    {
        name = encoded;
        if (!encoded.Contains('&', StringComparison.Ordinal))
        {
            foreach (var c in encoded)
            {
                if (c is < ' ' or > '~') return false;
            }
            return true;
        }
        var sb = new StringBuilder(encoded.Length);
        var i = 0;
        while (i < encoded.Length)
        {
            var c = encoded[i];
            if (c is < ' ' or > '~') return false;
            if (c != '&')
            {
                sb.Append(c);
                i++;
                continue;
            }
            var end = encoded.IndexOf('-', i + 1);
            if (end < 0) return false;
            if (end == i + 1)
            {
                sb.Append('&');
                i = end + 1;
                continue;
            }
            if (!TryDecodeBase64(encoded.AsSpan(i + 1, end - i - 1), out var utf16)) return false;
            if (utf16.Length % 2 != 0) return false;
            string decoded;
            try
            {
                decoded = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(utf16);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
            // RFC 3501: printable US-ASCII must not be base64-encoded, so a canonical form is unique.
            if (decoded.Any(ch => ch is >= ' ' and <= '~')) return false;
            sb.Append(decoded);
            i = end + 1;
            // Two adjacent encoded runs are not canonical either.
            if (i < encoded.Length && encoded[i] == '&' && i + 1 < encoded.Length && encoded[i + 1] != '-') return false;
        }
        name = sb.ToString();
        return true;
    }

    private static bool IsPlain(string s)
    {
        foreach (var c in s)
        {
            if (c is < ' ' or > '~' or '&') return false;
        }
        return true;
    }

    private static void AppendBase64(StringBuilder sb, byte[] bytes)
    {
        var i = 0;
        for (; i + 2 < bytes.Length; i += 3)
        {
            var n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
            sb.Append(Alphabet[(n >> 18) & 63]).Append(Alphabet[(n >> 12) & 63]).Append(Alphabet[(n >> 6) & 63]).Append(Alphabet[n & 63]);
        }
        var rest = bytes.Length - i;
        if (rest == 1)
        {
            var n = bytes[i] << 16;
            sb.Append(Alphabet[(n >> 18) & 63]).Append(Alphabet[(n >> 12) & 63]);
        }
        else if (rest == 2)
        {
            var n = (bytes[i] << 16) | (bytes[i + 1] << 8);
            sb.Append(Alphabet[(n >> 18) & 63]).Append(Alphabet[(n >> 12) & 63]).Append(Alphabet[(n >> 6) & 63]);
        }
    }

    private static bool TryDecodeBase64(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        var output = new List<byte>(text.Length * 3 / 4);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var v = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0) return false;
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)((buffer >> bits) & 0xff));
            }
        }
        // Leftover bits must be zero padding (fewer than 6 of them).
        if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0) return false;
        bytes = output.ToArray();
        return true;
    }
}
