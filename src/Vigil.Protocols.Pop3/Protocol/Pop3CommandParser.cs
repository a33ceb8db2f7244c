using System.Text;

namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>Turns one command line (CRLF already removed) into a <see cref="Pop3Command"/>.
/// Pure; tested byte for byte.</summary>
public static class Pop3CommandParser
{
    /// <summary>RFC 2449 §4: a command line is at most 255 octets including the CRLF.</summary>
    public const int MaxLine = 255;

    /// <summary>RFC 5034 §4: a SASL response line is not bound by the 255-octet limit; this bound
    /// keeps it finite.</summary>
    public const int MaxAuthLine = 8 * 1024;

    private static readonly Dictionary<string, Pop3Verb> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USER"] = Pop3Verb.User,
        ["PASS"] = Pop3Verb.Pass,
        ["APOP"] = Pop3Verb.Apop,
        ["AUTH"] = Pop3Verb.Auth,
        ["CAPA"] = Pop3Verb.Capa,
        ["STLS"] = Pop3Verb.Stls,
        ["STAT"] = Pop3Verb.Stat,
        ["LIST"] = Pop3Verb.List,
        ["RETR"] = Pop3Verb.Retr,
        ["DELE"] = Pop3Verb.Dele,
        ["NOOP"] = Pop3Verb.Noop,
        ["RSET"] = Pop3Verb.Rset,
        ["TOP"] = Pop3Verb.Top,
        ["UIDL"] = Pop3Verb.Uidl,
        ["QUIT"] = Pop3Verb.Quit,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Returns the command, or null with the reason in <paramref name="error"/> when the
    /// line is not a command at all (empty, control characters, not UTF-8, no keyword).</summary>
    public static Pop3Command? Parse(ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        if (line.IsEmpty)
        {
            error = "Empty command";
            return null;
        }
        foreach (var b in line)
        {
            // NUL, CR and other controls never belong in a command; TAB is tolerated only inside
            // a password (RFC 1939 §7 lets PASS carry any characters but CRLF).
            if (b < 0x20 && b != (byte)'\t' || b == 0x7F)
            {
                error = "Control characters are not allowed in commands";
                return null;
            }
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            error = "Command is not valid UTF-8";
            return null;
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var keyword = space < 0 ? text : text[..space];
        var argument = space < 0 ? "" : text[(space + 1)..];
        // RFC 1939 §3: keywords are three or four characters, case-insensitive.
        if (keyword.Length is < 3 or > 4 || !keyword.All(char.IsAsciiLetter))
        {
            error = "Unknown command";
            return null;
        }
        var verb = Verbs.GetValueOrDefault(keyword, Pop3Verb.Unknown);
        if (verb != Pop3Verb.Pass && argument.Contains('\t', StringComparison.Ordinal))
        {
            error = "Control characters are not allowed in commands";
            return null;
        }
        return new Pop3Command(verb, keyword.ToUpperInvariant(), argument);
    }

    /// <summary>A numeric argument (message number, TOP line count): decimal digits only, no sign,
    /// no spaces. Range checks belong to the caller (message 0 does not exist, TOP n 0 is valid).</summary>
    public static bool TryParseNumber(string s, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 9 || !s.All(char.IsAsciiDigit)) return false;
        value = int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
