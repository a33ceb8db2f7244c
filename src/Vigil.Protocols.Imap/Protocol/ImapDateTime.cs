using System.Globalization;

namespace Vigil.Protocols.Imap.Protocol;

/// <summary>IMAP date-time ("17-Jul-1996 02:44:25 -0700") and date ("1-Feb-1994") forms (RFC 9051 §9).</summary>
public static class ImapDateTime
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Formats INTERNALDATE with a two-digit day and the zone of the value.</summary>
    public static string Format(DateTimeOffset t)
    {
        var offset = t.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{t.Day:00}-{Months[t.Month - 1]}-{t.Year:0000} {t.Hour:00}:{t.Minute:00}:{t.Second:00} {sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    /// <summary>Parses date-time: date-day-fixed ("SP DIGIT" or 2DIGIT) "-" month "-" year SP time SP zone.</summary>
    public static bool TryParseDateTime(string s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != 26) return false;
        if (s[2] != '-' || s[6] != '-' || s[11] != ' ' || s[14] != ':' || s[17] != ':' || s[20] != ' ') return false;
        var dayText = s[..2];
        if (dayText[0] == ' ') dayText = dayText[1..];
        if (!TryInt(dayText, out var day) || !TryMonth(s.AsSpan(3, 3), out var month) || !TryInt(s.Substring(7, 4), out var year)) return false;
        if (!TryInt(s.Substring(12, 2), out var hour) || !TryInt(s.Substring(15, 2), out var minute) || !TryInt(s.Substring(18, 2), out var second)) return false;
        if (s[21] is not ('+' or '-') || !TryInt(s.Substring(22, 2), out var zh) || !TryInt(s.Substring(24, 2), out var zm) || zm > 59 || zh > 14) return false;
        var offset = new TimeSpan(zh, zm, 0);
        if (s[21] == '-') offset = -offset;
        if (hour > 23 || minute > 59 || second > 60 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        value = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset);
        return true;
    }

    /// <summary>Parses a SEARCH date: 1*2DIGIT "-" month "-" 4DIGIT.</summary>
    public static bool TryParseDate(string s, out DateOnly value)
    {
        value = default;
        var parts = s.Split('-');
        if (parts.Length != 3 || parts[0].Length is < 1 or > 2 || parts[2].Length != 4) return false;
        if (!TryInt(parts[0], out var day) || !TryMonth(parts[1], out var month) || !TryInt(parts[2], out var year)) return false;
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        value = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryInt(string s, out int v)
    {
        v = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return false;
        }
        return s.Length > 0 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
    }

    private static bool TryMonth(ReadOnlySpan<char> s, out int month)
    {
        month = 0;
        for (var i = 0; i < Months.Length; i++)
        {
            if (s.Equals(Months[i], StringComparison.OrdinalIgnoreCase))
            {
                month = i + 1;
                return true;
            }
        }
        return false;
    }
}
