using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Vigil.Bench.Messages;
using Vigil.Bench.Report;

namespace Vigil.Bench.Imap;

/// <summary>The IMAP workload of issue 3: N clients, each logged in as its own user, repeat rounds
/// of SELECT, FETCH of the newest headers, FETCH of two bodies, STORE of a flag, APPEND of a 4 KB
/// message, and removal of that message (UID STORE \Deleted + UID EXPUNGE), so the mailbox keeps
/// its size. Every few rounds a client logs out and in again. Bounded by a duration.</summary>
public sealed partial class ImapLoad(ImapLoadOptions o)
{
    private const int RoundsPerSession = 20;

    public Latency SelectFetch { get; } = new();

    /// <summary>Latency of each command kind, so a shortfall can be traced to the command that waits.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Latency> PerCommand { get; } = new();
    public long Commands;
    public int Errors;
    public string? FirstError;

    public async Task<TimeSpan> RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(o.Duration);
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, o.Clients).Select(i => Task.Run(() => ClientAsync(i, stop.Token), CancellationToken.None)).ToList();
        await Task.WhenAll(clients);
        return clock.Elapsed;
    }

    private async Task ClientAsync(int index, CancellationToken stop)
    {
        var user = $"{o.UserPrefix}{index % o.Users}@{o.Domain}";
        var random = new Random(index);
        var source = o.Sources.Count == 0 ? null : o.Sources[index % o.Sources.Count];
        var appended = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var c = await ImapClient.ConnectAsync(o.Server, source, stop);
                await c.LoginAsync(user, o.Password, stop);
                Interlocked.Increment(ref Commands);
                var uidplus = c.Capabilities.Contains("UIDPLUS", StringComparison.OrdinalIgnoreCase);
                for (var round = 0; round < RoundsPerSession && !stop.IsCancellationRequested; round++)
                {
                    await RoundAsync(c, user, index, appended++, uidplus, random, stop);
                }
                await c.LogoutAsync(stop);
                Interlocked.Increment(ref Commands);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or FormatException)
            {
                Interlocked.Increment(ref Errors);
                Interlocked.CompareExchange(ref FirstError, $"{user}: {ex.Message}", null);
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private async Task RoundAsync(ImapClient c, string user, int client, int n, bool uidplus, Random random, CancellationToken ct)
    {
        var t = Stopwatch.StartNew();
        var select = await Expect(c.CommandAsync("SELECT INBOX", ct), "SELECT");
        var exists = select.Untagged.Select(l => ExistsRegex().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).FirstOrDefault();
        if (exists == 0) throw new IOException($"{user}: INBOX is empty");
        var first = Math.Max(1, exists - 9);
        await Expect(c.CommandAsync($"FETCH {first}:{exists} (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])", ct), "FETCH headers");
        SelectFetch.Add(t.Elapsed);
        Count(2);

        for (var i = 0; i < 2; i++)
        {
            await Expect(c.CommandAsync($"FETCH {random.Next(1, exists + 1)} BODY.PEEK[]", ct), "FETCH body");
        }
        await Expect(c.CommandAsync($"STORE {random.Next(1, exists + 1)} +FLAGS.SILENT (\\Seen)", ct), "STORE");
        Count(3);

        var id = $"a{client}-{n}";
        var message = MessageFactory.Create(id, "imap-load@bench.test", user, 4096, DateTimeOffset.UtcNow);
        var append = await Expect(c.AppendAsync("INBOX", "\\Seen", message, ct), "APPEND");
        var uidMatch = AppendUidRegex().Match(append.Status);
        Count(1);
        if (uidplus && uidMatch.Success)
        {
            var uid = uidMatch.Groups[1].Value;
            await Expect(c.CommandAsync($"UID STORE {uid} +FLAGS.SILENT (\\Deleted)", ct), "UID STORE");
            await Expect(c.CommandAsync($"UID EXPUNGE {uid}", ct), "UID EXPUNGE");
        }
        else
        {
            var search = await Expect(c.CommandAsync($"UID SEARCH HEADER X-Bench-Id {id}", ct), "SEARCH");
            var uids = search.Untagged.FirstOrDefault(l => l.StartsWith("* SEARCH", StringComparison.Ordinal))?[8..].Trim();
            if (string.IsNullOrEmpty(uids)) throw new IOException($"{user}: appended {id} not found");
            await Expect(c.CommandAsync($"UID STORE {uids.Replace(' ', ',')} +FLAGS.SILENT (\\Deleted)", ct), "UID STORE");
            await Expect(c.CommandAsync("EXPUNGE", ct), "EXPUNGE");
            Count(1);
        }
        Count(2);
    }

    private void Count(int n) => Interlocked.Add(ref Commands, n);

    private async Task<ImapResponse> Expect(Task<ImapResponse> command, string what)
    {
        var t = Stopwatch.StartNew();
        var r = await command;
        PerCommand.GetOrAdd(what, _ => new Latency()).Add(t.Elapsed);
        return r.Ok ? r : throw new IOException($"{what}: {r.Status}");
    }

    [GeneratedRegex(@"^\* (\d+) EXISTS", RegexOptions.IgnoreCase)]
    private static partial Regex ExistsRegex();

    [GeneratedRegex(@"\[APPENDUID \d+ (\d+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex AppendUidRegex();
}

public sealed record ImapLoadOptions(IPEndPoint Server, int Clients, int Users, string UserPrefix, string Domain, string Password, TimeSpan Duration)
{
    public IReadOnlyList<IPAddress> Sources { get; init; } = [];
}
