using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A recorded protocol conversation, replayed byte for byte against a live server
/// (MailKit's habit: a new edge case is a new small file). Format, one directive per line:
/// <c>C: text</c> sends text + CRLF; <c>C! text</c> sends text as-is after unescaping \r \n \0
/// \xNN (no CRLF added); <c>S: text</c> expects exactly that line; <c>S~ regex</c> expects a line
/// matching the regex; <c>S: &lt;closed&gt;</c> expects the server to close; <c>#</c> is a comment;
/// <c>@listener name</c> picks the listener (default smtp).</summary>
public static class Transcript
{
    public static string Listener(string path) =>
        File.ReadLines(path).FirstOrDefault(l => l.StartsWith("@listener ", StringComparison.Ordinal))?[10..].Trim() ?? "smtp";

    public static async Task ReplayAsync(string path, RawClient client)
    {
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            if (raw.Length == 0 || raw.StartsWith('#') || raw.StartsWith('@')) continue;
            var kind = raw[..2];
            var text = raw.Length > 3 ? raw[3..] : "";
            var where = $"{Path.GetFileName(path)}:{number}";
            switch (kind)
            {
                case "C:":
                    await client.SendAsync(text + "\r\n");
                    break;
                case "C!":
                    await client.SendAsync(Unescape(text));
                    break;
                case "S:" when text == "<closed>":
                    var tail = await client.ReadLineAsync();
                    Assert.True(tail is null, $"{where}: expected the server to close, got '{tail}'");
                    break;
                case "S:":
                    Assert.Equal($"{where}: {text}", $"{where}: {await client.ReadLineAsync()}");
                    break;
                case "S~":
                    var line = await client.ReadLineAsync();
                    Assert.True(line is not null && Regex.IsMatch(line, "^" + text + "$"), $"{where}: '{line}' does not match /{text}/");
                    break;
                default:
                    throw new InvalidDataException($"{where}: unknown directive '{raw}'");
            }
        }
    }

    public static byte[] Unescape(string s)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                var c = s[++i];
                switch (c)
                {
                    case 'r': bytes.Add(13); continue;
                    case 'n': bytes.Add(10); continue;
                    case '0': bytes.Add(0); continue;
                    case '\\': bytes.Add((byte)'\\'); continue;
                    case 'x':
                        bytes.Add(byte.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 2;
                        continue;
                }
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return [.. bytes];
    }
}
