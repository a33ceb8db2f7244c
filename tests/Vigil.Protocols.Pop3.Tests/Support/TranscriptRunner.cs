using System.Globalization;
using System.Text;
using Vigil.Protocols.Pop3.Session;

namespace Vigil.Protocols.Pop3.Tests.Support;

/// <summary>Replays a transcript file against a fresh server. Lines:
/// <c>C: text</c> client line (CRLF added), <c>R: text</c> raw client bytes (no CRLF);
/// consecutive client lines go out in one write (pipelining).
/// <c>S: text</c> exact server line, <c>S^ text</c> server line starting with text;
/// <c>TLS</c> client TLS handshake; <c>CLOSED</c> the server closed the connection;
/// <c>@no-loopback-login</c> treat this loopback client like a remote one.
/// Client text understands \r \n \t \0 \xNN; {uidvalidity} stands for alice's INBOX UIDVALIDITY.
/// Alice's INBOX holds <see cref="StandardMessages"/> at the start.</summary>
public static class TranscriptRunner
{
    public static readonly string[] StandardMessages =
    [
        "Subject: one\r\n\r\nHello\r\n",
        "Subject: dots\r\n\r\n.leading dot\r\n..two\r\n.\r\nafter\r\n",
        "Subject: no final crlf\r\n\r\nlast line",
    ];

    public static async Task RunAsync(string path)
    {
        var lines = File.ReadAllLines(path);
        var options = new Pop3ServerOptions
        {
            Hostname = "pop3.example.test",
            AllowPlaintextLoginFromLoopback = !lines.Contains("@no-loopback-login"),
        };
        await using var server = await Pop3TestServer.StartAsync(options);
        foreach (var m in StandardMessages) await server.DeliverAsync(server.Alice, Encoding.Latin1.GetBytes(m));
        var uidValidity = (await server.InboxAsync(server.Alice)).UidValidity.ToString(CultureInfo.InvariantCulture);
        await using var client = await server.ConnectAsync();

        var pending = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"{Path.GetFileName(path)}:{i + 1}";
            if (line.StartsWith("C: ", StringComparison.Ordinal)) { pending.Append(Unescape(line[3..])).Append("\r\n"); continue; }
            if (line.StartsWith("R: ", StringComparison.Ordinal)) { pending.Append(Unescape(line[3..])); continue; }
            if (pending.Length > 0)
            {
                await client.SendRawAsync(pending.ToString());
                pending.Clear();
            }
            if (line.StartsWith("S: ", StringComparison.Ordinal) || line.StartsWith("S^ ", StringComparison.Ordinal))
            {
                var expected = line[3..].Replace("{uidvalidity}", uidValidity, StringComparison.Ordinal);
                var actual = await client.ReadLineAsync();
                var ok = line[1] == ':' ? actual == expected : actual?.StartsWith(expected, StringComparison.Ordinal) == true;
                Assert.True(ok, $"{where}: expected {(line[1] == ':' ? "" : "prefix ")}'{expected}', got '{actual ?? "<closed>"}'");
            }
            else if (line == "TLS") await client.StartTlsAsync();
            else if (line == "CLOSED") Assert.True(await client.ReadLineAsync() is null, $"{where}: expected the server to close");
            else if (line.Length > 0 && !line.StartsWith('#') && !line.StartsWith('@')) throw new FormatException($"{where}: cannot read '{line}'");
        }
        Assert.Equal(0, pending.Length);
    }

    private static string Unescape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 == s.Length) { sb.Append(s[i]); continue; }
            var c = s[++i];
            switch (c)
            {
                case 'r': sb.Append('\r'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '0': sb.Append('\0'); break;
                case 'x': sb.Append((char)int.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
