using System.Net;
using System.Text;

namespace Vigil.Core.Indexing;

/// <summary>Crude HTML to text for the full-text index: drops tags, script and style content and
/// decodes entities. Search only needs the words, not the layout.</summary>
internal static class HtmlText
{
    public static string Strip(string html)
    {
        var sb = new StringBuilder(html.Length / 2);
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                sb.Append(c);
                i++;
                continue;
            }
            var close = html.IndexOf('>', i);
            if (close < 0) break;
            var tag = html.AsSpan(i + 1, close - i - 1);
            i = close + 1;
            if (StartsWithName(tag, "script") || StartsWithName(tag, "style"))
            {
                var endTag = "</" + (StartsWithName(tag, "script") ? "script" : "style");
                var end = html.IndexOf(endTag, i, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
                continue;
            }
            sb.Append(' ');
        }
        return WebUtility.HtmlDecode(sb.ToString());
    }

    private static bool StartsWithName(ReadOnlySpan<char> tag, string name) =>
        tag.StartsWith(name, StringComparison.OrdinalIgnoreCase) && (tag.Length == name.Length || !char.IsAsciiLetterOrDigit(tag[name.Length]));
}
