using Vigil.Core.Model;

namespace Vigil.Core.Mailboxes;

/// <summary>Rules for mailbox names, the same for every protocol: "/" separates levels, INBOX is
/// case-insensitive (RFC 9051 §5.1) and so is the INBOX prefix of its children, names are bounded
/// and free of control characters, empty levels and the LIST wildcards.</summary>
public static class MailboxNames
{
    public const char Delimiter = '/';
    public const int MaxLength = 512;
    public const int MaxDepth = 32;

    /// <summary>"inbox" → "INBOX", "Inbox/Sub" → "INBOX/Sub"; other names unchanged.</summary>
    public static string Normalise(string name)
    {
        if (name.Equals(Mailbox.Inbox, StringComparison.OrdinalIgnoreCase)) return Mailbox.Inbox;
        if (name.Length > 6 && name[5] == Delimiter && name.StartsWith(Mailbox.Inbox, StringComparison.OrdinalIgnoreCase)) return Mailbox.Inbox + name[5..];
        return name;
    }

    public static bool IsInbox(string name) => name.Equals(Mailbox.Inbox, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> (already normalised) may be created.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || name.Length > MaxLength) return false;
        if (name[0] == Delimiter || name[^1] == Delimiter) return false;
        var depth = 1;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c) || c is '%' or '*') return false;
            if (c == Delimiter)
            {
                if (name[i - 1] == Delimiter) return false;
                if (++depth > MaxDepth) return false;
            }
        }
        return true;
    }

    /// <summary>The names of the levels above <paramref name="name"/>: "a/b/c" → "a", "a/b".</summary>
    public static IEnumerable<string> Parents(string name)
    {
        for (var i = name.IndexOf(Delimiter); i > 0; i = name.IndexOf(Delimiter, i + 1)) yield return name[..i];
    }

    public static bool IsChildOf(string name, string parent) =>
        name.Length > parent.Length + 1 && name[parent.Length] == Delimiter && name.StartsWith(parent, StringComparison.Ordinal);
}
