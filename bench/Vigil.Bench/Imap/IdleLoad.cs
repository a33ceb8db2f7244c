using System.Diagnostics;
using System.Net;
using Vigil.Bench.Messages;
using Vigil.Bench.Smtp;

namespace Vigil.Bench.Imap;

/// <summary>Opens many authenticated IDLE connections (LOGIN, SELECT INBOX, IDLE), spread over
/// several loopback source addresses so per-IP limits and ephemeral ports do not bite; then sends
/// one message by SMTP to the first user and times how long until its IDLE connection sees EXISTS.
/// The connections stay open until the caller lets go, so the server's memory can be measured.</summary>
public sealed class IdleLoad(IdleLoadOptions o) : IAsyncDisposable
{
    private readonly List<ImapClient> _open = [];
    public int Failed;
    public string? FirstError;

    public int Open
    {
        get { lock (_open) return _open.Count; }
    }

    public async Task<TimeSpan> OpenAllAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(o.TimeLimit);
        var clock = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable.Range(0, o.Parallel).Select(_ => Task.Run(async () =>
        {
            while (!deadline.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= o.Connections || Volatile.Read(ref Failed) > o.Connections / 10) return;
                await OpenOneAsync(i, deadline.Token);
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
        return clock.Elapsed;
    }

    private async Task OpenOneAsync(int i, CancellationToken ct)
    {
        var user = UserOf(i);
        ImapClient? c = null;
        try
        {
            c = await ImapClient.ConnectAsync(o.Server, o.Sources[i % o.Sources.Count], ct, bufferSize: 4096);
            await c.LoginAsync(user, o.Password, ct);
            var select = await c.CommandAsync("SELECT INBOX", ct);
            if (!select.Ok) throw new IOException("SELECT: " + select.Status);
            await c.StartIdleAsync(ct);
            lock (_open) _open.Add(c);
            c = null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            Interlocked.Increment(ref Failed);
            Interlocked.CompareExchange(ref FirstError, $"#{i} {user}: {ex.Message}", null);
        }
        finally
        {
            if (c is not null) await c.DisposeAsync();
        }
    }

    private string UserOf(int i) => $"{o.UserPrefix}{i % o.Users}@{o.Domain}";

    /// <summary>Sends messages by SMTP to the users of open connections and waits for each
    /// connection to report its message: the time from the start of the SMTP transaction to
    /// EXISTS. The first send only warms up this process (JIT, MIME code) and is not counted; the
    /// median of the next ones is returned.</summary>
    public async Task<TimeSpan?> NotifyLatencyAsync(IPEndPoint smtp, CancellationToken ct, int samples = 5)
    {
        List<ImapClient> targets;
        lock (_open)
        {
            if (_open.Count == 0) return null;
            targets = Enumerable.Range(0, samples + 1).Select(i => _open[i * _open.Count / (samples + 1)]).ToList();
        }
        var measured = new List<TimeSpan>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var message = MessageFactory.Create($"idle-notify-{i}", "notify@bench.test", target.User!, 2048, DateTimeOffset.UtcNow);
            var wait = target.WaitForAsync("EXISTS", TimeSpan.FromSeconds(30), ct);
            var clock = Stopwatch.StartNew();
            var sent = await SmtpSender.SendAsync(smtp, null, "notify@bench.test", [target.User!], message, ct);
            if (!sent.Ok) throw new IOException("notify SMTP: " + sent.Detail);
            await wait;
            if (i > 0) measured.Add(clock.Elapsed);
        }
        measured.Sort();
        return measured[measured.Count / 2];
    }

    public async ValueTask DisposeAsync()
    {
        List<ImapClient> all;
        lock (_open) all = [.. _open];
        foreach (var c in all) await c.DisposeAsync();
    }
}

public sealed record IdleLoadOptions(IPEndPoint Server, int Connections, int Users, string UserPrefix, string Domain, string Password, IReadOnlyList<IPAddress> Sources)
{
    public int Parallel { get; init; } = 32;
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(20);
}
