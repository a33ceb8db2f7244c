using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Security.MailAuth.Spf;

/// <summary>SPF macro expansion (RFC 7208 §7). Pure.</summary>
public static class SpfMacro
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>The facts macros expand from.</summary>
    public sealed record Context(string Sender, string Domain, IPAddress Ip, string Helo, string ReceivingDomain, DateTimeOffset Now)
    {
        public string LocalPart => Sender[..Math.Max(0, Sender.LastIndexOf('@'))];
        public string SenderDomain => Sender[(Sender.LastIndexOf('@') + 1)..];
    }

    /// <summary>Checks macro-string syntax without expanding (§7.1), so a bad record is a permerror
    /// even when the broken term is never reached.</summary>
    public static bool IsValidMacroString(string text) => TryExpand(text, null, allowExpOnly: true, out _, explanation: false);

    /// <summary>Expands a domain-spec; the result is cut to 253 characters by dropping labels from
    /// the left (§7.3). False when the macro syntax is invalid.</summary>
    public static bool TryExpandDomain(string spec, Context context, out string domain)
    {
        if (!TryExpand(spec, context, allowExpOnly: false, out domain, explanation: false)) return false;
        domain = domain.TrimEnd('.');
        while (domain.Length > 253)
        {
            var dot = domain.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0) return false;
            domain = domain[(dot + 1)..];
        }
        return true;
    }

    /// <summary>Expands an explanation string, where %{c}, %{r} and %{t} are allowed too.</summary>
    public static bool TryExpandExplanation(string text, Context context, out string result) =>
        TryExpand(text, context, allowExpOnly: true, out result, explanation: true);

    /// <param name="explanation">§6.2: an explain-string may also contain spaces.</param>
    private static bool TryExpand(string text, Context? context, bool allowExpOnly, out string result, bool explanation)
    {
        var sb = new StringBuilder();
        result = "";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                if ((c is < '!' or > '~') && !(explanation && c == ' ')) return false; // macro-literal = %x21-24 / %x26-7E
                sb.Append(c);
                continue;
            }
            if (++i >= text.Length) return false;
            switch (text[i])
            {
                case '%': sb.Append('%'); continue;
                case '_': sb.Append(' '); continue;
                case '-': sb.Append("%20"); continue;
                case '{': break;
                default: return false;
            }
            var close = text.IndexOf('}', i);
            if (close < 0 || !TryExpandOne(text[(i + 1)..close], context, allowExpOnly, sb)) return false;
            i = close;
        }
        result = sb.ToString();
        return true;
    }

    // macro-letter [transformers] *delimiter, e.g. "ir", "d2", "l-", "S".
    private static bool TryExpandOne(string body, Context? context, bool allowExpOnly, StringBuilder sb)
    {
        if (body.Length == 0) return false;
        var letter = body[0];
        var pos = 1;
        var digitsStart = pos;
        while (pos < body.Length && char.IsAsciiDigit(body[pos])) pos++;
        var keep = 0;
        if (pos > digitsStart && (!int.TryParse(body.AsSpan(digitsStart, pos - digitsStart), NumberStyles.None, CultureInfo.InvariantCulture, out keep) || keep == 0 || keep > 128))
            return false;
        var reverse = pos < body.Length && body[pos] is 'r' or 'R';
        if (reverse) pos++;
        var delimiters = body[pos..];
        if (delimiters.Any(d => !Delimiters.Contains(d, StringComparison.Ordinal))) return false;
        var lower = char.ToLowerInvariant(letter);
        if (lower is not ('s' or 'l' or 'o' or 'd' or 'i' or 'p' or 'v' or 'h' or 'c' or 'r' or 't')) return false;
        if (lower is 'c' or 'r' or 't' && !allowExpOnly) return false;
        if (context is null) return true;

        var value = Value(lower, context);
        var parts = value.Split(delimiters.Length == 0 ? ['.'] : delimiters.ToCharArray());
        if (reverse) Array.Reverse(parts);
        if (keep > 0 && keep < parts.Length) parts = parts[^keep..];
        var expanded = string.Join('.', parts);
        sb.Append(char.IsUpper(letter) ? Uri.EscapeDataString(expanded) : expanded);
        return true;
    }

    private static string Value(char letter, Context c) => letter switch
    {
        's' => c.Sender,
        'l' => c.LocalPart.Length == 0 ? "postmaster" : c.LocalPart,
        'o' => c.SenderDomain,
        'd' => c.Domain,
        'i' => DottedIp(c.Ip),
        'p' => "unknown", // §5.5: ptr and %{p} SHOULD NOT be used; we do not spend lookups on it
        'v' => c.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => c.Helo,
        'c' => c.Ip.ToString(),
        'r' => c.ReceivingDomain,
        't' => c.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>IPv4 as dotted quad; IPv6 as 32 dot-separated nibbles (§7.3).</summary>
    public static string DottedIp(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork) return ip.ToString();
        var hex = Convert.ToHexStringLower(ip.GetAddressBytes());
        return string.Join('.', hex.ToCharArray());
    }
}
