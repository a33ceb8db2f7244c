using System.Text;

namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>Parses <c>FROM:&lt;path&gt; params</c> and <c>TO:&lt;path&gt; params</c> (RFC 5321 §4.1.2,
/// RFC 6531 §3.3 for UTF-8 mailboxes). Pure.</summary>
public static class SmtpPathParser
{
    public static bool TryParse(string argument, string keyword, bool allowNull, out SmtpPath path, out IReadOnlyList<KeyValuePair<string, string?>> parameters, out string error)
    {
        path = SmtpPath.Null;
        parameters = [];
        error = "Syntax error in parameters";
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            error = $"Syntax: expected {keyword}<address>";
            return false;
        }
        var rest = argument.AsSpan(keyword.Length).TrimStart(' '); // tolerate "FROM: <a@b>", common in the wild
        if (rest.Length == 0 || rest[0] != '<')
        {
            error = "Syntax: address must be in angle brackets";
            return false;
        }
        var close = FindClosingBracket(rest);
        if (close < 0)
        {
            error = "Syntax: missing '>'";
            return false;
        }
        var inner = rest[1..close].ToString();
        var after = rest[(close + 1)..];
        if (after.Length > 0 && after[0] != ' ')
        {
            error = "Syntax: expected space after address";
            return false;
        }

        if (inner.Length == 0)
        {
            if (!allowNull)
            {
                error = "Syntax: null path not allowed here";
                return false;
            }
        }
        else if (!TryParseMailbox(inner, out path, out error))
        {
            return false;
        }

        var list = new List<KeyValuePair<string, string?>>();
        foreach (var token in after.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? token : token[..eq]).ToUpperInvariant();
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                error = "Syntax error in parameters";
                return false;
            }
            list.Add(new(key, eq < 0 ? null : token[(eq + 1)..]));
        }
        parameters = list;
        return true;
    }

    private static int FindClosingBracket(ReadOnlySpan<char> s)
    {
        var quoted = false;
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (quoted && c == '\\') { i++; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == '>' && !quoted) return i;
        }
        return -1;
    }

    /// <summary>Parses <c>[@route,@route:]local@domain</c>, or a bare <c>postmaster</c> (RFC 5321 §4.1.1.3).</summary>
    public static bool TryParseMailbox(string text, out SmtpPath path, out string error)
    {
        path = SmtpPath.Null;
        error = "Syntax error in mailbox";
        var hadRoute = false;
        if (text.StartsWith('@'))
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return false;
            foreach (var hop in text[..colon].Split(','))
            {
                if (hop.Length < 2 || hop[0] != '@' || !IsDomain(hop[1..])) return false;
            }
            hadRoute = true;
            text = text[(colon + 1)..];
        }

        string local;
        int at;
        if (text.StartsWith('"'))
        {
            var sb = new StringBuilder();
            var i = 1;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\\' && i + 1 < text.Length) { sb.Append(text[++i]); continue; }
                if (c == '"') break;
                if (c < 32 || c == 127) return false;
                sb.Append(c);
            }
            if (i >= text.Length) return false;
            local = sb.ToString();
            at = i + 1;
            if (at >= text.Length || text[at] != '@') return false;
        }
        else
        {
            at = text.LastIndexOf('@');
            if (at < 0)
            {
                if (string.Equals(text, "postmaster", StringComparison.OrdinalIgnoreCase))
                {
                    path = new SmtpPath(text, null, hadRoute);
                    return true;
                }
                error = "Syntax: address must be fully qualified";
                return false;
            }
            local = text[..at];
            if (!IsDotString(local)) return false;
        }
        if (local.Length is 0 or > 64 * 4) return false;
        var domain = text[(at + 1)..];
        if (!IsDomain(domain) && !IsAddressLiteral(domain)) return false;
        path = new SmtpPath(local, domain, hadRoute);
        return true;
    }

    // RFC 5321 §4.1.2 Dot-string = Atom *("." Atom); RFC 6531 §3.3 adds UTF-8 to atext.
    private static bool IsDotString(string s)
    {
        if (s.Length == 0 || s[0] == '.' || s[^1] == '.' || s.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in s)
        {
            if (c > 127) continue;
            if (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal)) continue;
            return false;
        }
        return true;
    }

    private static bool IsDomain(string s)
    {
        if (s.Length is 0 or > 255) return false;
        foreach (var label in s.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            foreach (var c in label)
            {
                if (c > 127 || char.IsAsciiLetterOrDigit(c) || c == '-') continue;
                return false;
            }
        }
        return true;
    }

    private static bool IsAddressLiteral(string s) =>
        s.Length > 2 && s[0] == '[' && s[^1] == ']' && s[1..^1].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or ':' or '-');
}
