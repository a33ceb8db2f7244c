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
        return Match(name.AsSpan(), pattern.AsSpan(), 0);
    }

    private static bool Match(ReadOnlySpan<char> name, ReadOnlySpan<char> pattern, int depth)
    {
        if (depth > 32) return false;
        while (!pattern.IsEmpty)
        {
            var p = pattern[0];
            if (p is '*' or '%')
            {
                var rest = pattern[1..];
                for (var i = 0; i <= name.Length; i++)
                {
                    if (Match(name[i..], rest, depth + 1)) return true;
                    if (i < name.Length && p == '%' && name[i] == Delimiter) return false;
                }
                return false;
            }
            if (name.IsEmpty || name[0] != p) return false;
            name = name[1..];
            pattern = pattern[1..];
        }
        return name.IsEmpty;
    }
}
