using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Bench.Net;

namespace Vigil.Bench.Imap;

/// <summary>A minimal IMAP4rev1 client for load: tagged commands, untagged responses collected as
/// lines (literals inside them are skipped and replaced by their size), APPEND with a
/// synchronising literal, IDLE. It understands only what the load generators need.</summary>
public sealed class ImapClient : IAsyncDisposable
{
    private readonly LineClient _client;
    private int _tag;

    private ImapClient(LineClient client) => _client = client;

    public string Capabilities { get; private set; } = "";

    /// <summary>The user this connection logged in as.</summary>
    public string? User { get; private set; }

    public static async Task<ImapClient> ConnectAsync(IPEndPoint server, IPAddress? source, CancellationToken ct, int bufferSize = 64 * 1024)
    {
        var c = new ImapClient(await LineClient.ConnectAsync(server, source, ct, bufferSize));
        var greeting = await c.ReadResponseLineAsync(ct) ?? throw new IOException("closed before greeting");
        if (!greeting.StartsWith("* OK", StringComparison.Ordinal)) throw new IOException("greeting: " + greeting);
        return c;
    }

    public async Task LoginAsync(string user, string password, CancellationToken ct)
    {
        var r = await CommandAsync($"LOGIN {Quote(user)} {Quote(password)}", ct);
        if (!r.Ok) throw new IOException($"LOGIN {user}: {r.Status}");
        var caps = r.Untagged.FirstOrDefault(l => l.StartsWith("* CAPABILITY", StringComparison.OrdinalIgnoreCase)) ?? r.Status;
        if (!caps.Contains("UIDPLUS", StringComparison.OrdinalIgnoreCase))
        {
            var c = await CommandAsync("CAPABILITY", ct);
            caps = c.Untagged.FirstOrDefault() ?? "";
        }
        Capabilities = caps;
        User = user;
    }

    public async Task<ImapResponse> CommandAsync(string command, CancellationToken ct)
    {
        var tag = NextTag();
        await _client.WriteLineAsync($"{tag} {command}", ct);
        return await ReadUntilTaggedAsync(tag, ct);
    }

    /// <summary>APPEND with a synchronising literal: wait for "+", then send the message.</summary>
    public async Task<ImapResponse> AppendAsync(string mailbox, string flags, byte[] message, CancellationToken ct)
    {
        var tag = NextTag();
        await _client.WriteLineAsync($"{tag} APPEND {Quote(mailbox)} ({flags}) {{{message.Length}}}", ct);
        var cont = await ReadResponseLineAsync(ct) ?? throw new IOException("closed during APPEND");
        if (!cont.StartsWith('+'))
        {
            var r = cont.StartsWith(tag + " ", StringComparison.Ordinal) ? cont : (await ReadUntilTaggedAsync(tag, ct)).Status;
            return new ImapResponse(false, r, []);
        }
        await _client.WriteAsync(message, ct);
        await _client.WriteAsync("\r\n"u8.ToArray(), ct);
        return await ReadUntilTaggedAsync(tag, ct);
    }

    /// <summary>Enters IDLE; returns when the server has sent its continuation.</summary>
    public async Task StartIdleAsync(CancellationToken ct)
    {
        var tag = NextTag();
        await _client.WriteLineAsync($"{tag} IDLE", ct);
        while (true)
        {
            var line = await ReadResponseLineAsync(ct) ?? throw new IOException("closed at IDLE");
            if (line.StartsWith('+')) return;
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) throw new IOException("IDLE refused: " + line);
        }
    }

    /// <summary>Waits (bounded by the client timeout) for an untagged response containing
    /// <paramref name="word"/>, e.g. "EXISTS" while idling.</summary>
    public async Task<string> WaitForAsync(string word, TimeSpan timeout, CancellationToken ct)
    {
        var old = _client.Timeout;
        _client.Timeout = timeout;
        try
        {
            while (true)
            {
                var line = await ReadResponseLineAsync(ct) ?? throw new IOException("closed while waiting for " + word);
                if (line.Contains(word, StringComparison.OrdinalIgnoreCase)) return line;
            }
        }
        finally
        {
            _client.Timeout = old;
        }
    }

    public async Task LogoutAsync(CancellationToken ct)
    {
        try { await CommandAsync("LOGOUT", ct); }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException) { }
    }

    private string NextTag() => "a" + (++_tag).ToString(CultureInfo.InvariantCulture);

    private async Task<ImapResponse> ReadUntilTaggedAsync(string tag, CancellationToken ct)
    {
        var untagged = new List<string>();
        while (true)
        {
            var line = await ReadResponseLineAsync(ct) ?? throw new IOException("connection closed");
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                var ok = line.AsSpan(tag.Length + 1).StartsWith("OK", StringComparison.OrdinalIgnoreCase);
                return new ImapResponse(ok, line, untagged);
            }
            untagged.Add(line);
        }
    }

    /// <summary>One response line with any literals it contains skipped ("{n}" stays in the text).</summary>
    private async Task<string?> ReadResponseLineAsync(CancellationToken ct)
    {
        var line = await _client.ReadLineAsync(ct);
        if (line is null) return null;
        StringBuilder? sb = null;
        while (TryLiteralSize(line, out var size))
        {
            sb ??= new StringBuilder();
            sb.Append(line);
            if (!await _client.SkipAsync(size, ct)) return null;
            line = await _client.ReadLineAsync(ct);
            if (line is null) return null;
        }
        return sb is null ? line : sb.Append(line).ToString();
    }

    private static bool TryLiteralSize(string line, out long size)
    {
        size = 0;
        if (!line.EndsWith('}')) return false;
        var open = line.LastIndexOf('{');
        if (open < 0) return false;
        var digits = line.AsSpan(open + 1, line.Length - open - 2).TrimEnd('+');
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

/// <summary>The tagged status line and the untagged lines that came before it.</summary>
public sealed record ImapResponse(bool Ok, string Status, IReadOnlyList<string> Untagged)
{
    public int Count(string word) => Untagged.Count(l => l.Contains(word, StringComparison.Ordinal));
}
