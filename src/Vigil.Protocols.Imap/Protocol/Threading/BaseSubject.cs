using System.Text;

namespace Vigil.Protocols.Imap.Protocol.Threading;

/// <summary>The "base subject" of RFC 5256 §2.1, used by SORT SUBJECT and THREAD: whitespace
/// collapsed, "(fwd)" trailers, "Re:"/"Fw:"/"Fwd:" leaders and "[blob]" prefixes removed, and
/// "[Fwd: ...]" unwrapped; compared case-insensitively (upper-cased here).</summary>
public static class BaseSubject
{
    public static string Extract(string? decodedSubject)
    {
        var s = Collapse(decodedSubject ?? "");
        while (true)
        {
            var before = s;
            s = RemoveTrailers(s);
            string previous;
            do
            {
                previous = s;
                s = RemoveLeader(s);
                s = RemoveBlob(s);
            }
            while (s != previous);
            if (s.StartsWith("[FWD:", StringComparison.OrdinalIgnoreCase) && s.EndsWith(']'))
            {
                s = s[5..^1].Trim();
                continue;
            }
            if (s == before) break;
        }
        return s.ToUpperInvariant();
    }

    private static string Collapse(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                space = true;
                continue;
            }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>subj-trailer: "(fwd)" / WSP at the end, repeatedly.</summary>
    private static string RemoveTrailers(string s)
    {
        while (true)
        {
            var t = s.TrimEnd();
            if (t.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase)) t = t[..^5];
            if (t == s) return s;
            s = t;
        }
    }

    /// <summary>subj-leader: *(blob) ("re" / "fw" / "fwd") *WSP [blob] ":" and leading WSP.</summary>
    private static string RemoveLeader(string s)
    {
        s = s.TrimStart();
        var i = 0;
        while (i < s.Length && s[i] == '[')
        {
            var close = s.IndexOf(']', i);
            if (close < 0) return s;
            i = close + 1;
            while (i < s.Length && s[i] == ' ') i++;
        }
        var rest = s.AsSpan(i);
        int word;
        if (rest.StartsWith("fwd", StringComparison.OrdinalIgnoreCase)) word = 3;
        else if (rest.StartsWith("re", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("fw", StringComparison.OrdinalIgnoreCase)) word = 2;
        else return s;
        var j = i + word;
        while (j < s.Length && s[j] == ' ') j++;
        if (j < s.Length && s[j] == '[')
        {
            var close = s.IndexOf(']', j);
            if (close < 0) return s;
            j = close + 1;
        }
        if (j >= s.Length || s[j] != ':') return s;
        return s[(j + 1)..].TrimStart();
    }

    /// <summary>A leading "[blob]" goes when something remains after it.</summary>
    private static string RemoveBlob(string s)
    {
        if (!s.StartsWith('[')) return s;
        var close = s.IndexOf(']');
        if (close < 0) return s;
        var rest = s[(close + 1)..].TrimStart();
        return rest.Length == 0 ? s : rest;
    }

    /// <summary>True when the subject was a reply or forward (RFC 5256 §2.1 step 6 / §2.2 (C)).</summary>
    public static bool IsReplyOrForward(string? decodedSubject)
    {
        var s = Collapse(decodedSubject ?? "");
        return RemoveLeader(s) != s.TrimStart() || s.TrimEnd().EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase)
            || s.StartsWith("[FWD:", StringComparison.OrdinalIgnoreCase);
    }
}
