using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Core.Model;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>A recorded IMAP conversation replayed byte for byte against a real session (the
/// habit of MailKit's test suite: a new edge case is a new small file). Directives:
/// <c>@user name [quota]</c> creates name@example.test (password "secret");
/// <c>@deliver name file.eml</c> delivers a sample message to its INBOX;
/// <c>C: text</c> sends text + CRLF; <c>C! text</c> sends text unescaped (\r \n \0 \xNN), no CRLF added;
/// <c>S: text</c> expects exactly that line; <c>S~ regex</c> a line matching the regex;
/// <c>S: &lt;closed&gt;</c> expects the server to close; <c>#</c> starts a comment.</summary>
public static class Transcript
{
    public static async Task RunAsync(string path)
    {
        await using var server = await ImapTestServer.StartAsync();
        var users = new Dictionary<string, Account>();
        RawImapClient? client = null;
        try
        {
            var number = 0;
            foreach (var raw in File.ReadLines(path))
            {
                number++;
                if (raw.Length == 0 || raw.StartsWith('#')) continue;
                var where = $"{Path.GetFileName(path)}:{number}";
                if (raw.StartsWith('@'))
                {
                    var parts = raw[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    switch (parts[0])
                    {
                        case "user":
                            users[parts[1]] = await server.AddUserAsync(parts[1], parts.Length > 2 ? long.Parse(parts[2], CultureInfo.InvariantCulture) : 0);
                            break;
                        case "deliver":
                            var date = new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(number);
                            await server.DeliverAsync(users[parts[1]], File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Messages", parts[2])), date);
                            break;
                        default:
                            throw new InvalidDataException($"{where}: unknown directive '{raw}'");
                    }
                    continue;
                }
                client ??= await RawImapClient.ConnectAsync(server.EndPoint);
                var kind = raw[..2];
                var text = raw.Length > 3 ? raw[3..] : "";
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
        finally
        {
            if (client is not null) await client.DisposeAsync();
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
