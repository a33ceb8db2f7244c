namespace Vigil.Protocols.Imap.Protocol.Mailboxes;

/// <summary>LIST/LSUB patterns (RFC 9051 §6.3.9): "*" matches anything, "%" anything but the
/// hierarchy delimiter. INBOX matches case-insensitively, other names exactly.</summary>
public static class MailboxPattern
{
    public const char Delimiter = '/';

    /// <summary>The reference and the pattern joined into one pattern (RFC 9051 §6.3.9).</summary>
    public static string Combine(string reference, string pattern)
    {
        if (reference.Length == 0) return pattern;
        if (reference.EndsWith(Delimiter) && pattern.StartsWith(Delimiter)) return reference + pattern[1..];
        return reference + pattern;
    }

    public static bool IsMatch(string name, string pattern)
    {
        if (name.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase) && (name.Length == 5 || name[5] == Delimiter)
            && pattern.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            name = "INBOX" + name[5..];
            pattern = "INBOX" + pattern[5..];
        }
        return Match(name.AsSpan(), Collapse(pattern).AsSpan());
    }

    /// <summary>Runs of wildcards as one: "**", "*%" and "%*" match what "*" matches, "%%" what "%" does.</summary>
    private static string Collapse(string pattern)
    {
        if (pattern.IndexOfAny(['*', '%']) < 0) return pattern;
        var sb = new System.Text.StringBuilder(pattern.Length);
        foreach (var c in pattern)
        {
            if (c is '*' or '%' && sb.Length > 0 && sb[^1] is '*' or '%')
            {
                if (c == '*') sb[^1] = '*';
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Matching by dynamic programming over (pattern position, name position), so the cost
    /// is at most name × pattern steps. Backtracking was exponential in the number of wildcards: a
    /// LIST of "*a*a*a*a*a*a*b" against one 60-character name kept a core busy for 19 s.</summary>
    private static bool Match(ReadOnlySpan<char> name, ReadOnlySpan<char> pattern)
    {
        var n = name.Length;
        var literals = 0;
        foreach (var c in pattern) if (c is not ('*' or '%')) literals++;
        if (literals > n) return false;
        // next[i]: pattern[j+1..] matches name[i..]; cur[i]: pattern[j..] matches name[i..].
        Span<bool> next = n < 512 ? stackalloc bool[n + 1] : new bool[n + 1];
        Span<bool> cur = n < 512 ? stackalloc bool[n + 1] : new bool[n + 1];
        next.Clear();
        next[n] = true;
        for (var j = pattern.Length - 1; j >= 0; j--)
        {
            var p = pattern[j];
            cur[n] = p is '*' or '%' && next[n];
            for (var i = n - 1; i >= 0; i--)
            {
                cur[i] = p switch
                {
                    '*' => next[i] || cur[i + 1],
                    '%' => next[i] || (name[i] != Delimiter && cur[i + 1]),
                    _ => name[i] == p && next[i + 1],
                };
            }
            var swap = next;
            next = cur;
            cur = swap;
        }
        return next[0];
    }
}
