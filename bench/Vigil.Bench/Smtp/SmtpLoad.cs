using System.Diagnostics;
using System.Net;
using Vigil.Bench.Messages;
using Vigil.Bench.Report;

namespace Vigil.Bench.Smtp;

/// <summary>N concurrent sessions send M messages (one per connection) as fast as the server takes
/// them; bounded by count and by a deadline. Records each transaction's latency and, optionally,
/// the id of every message the server acknowledged with 250 (for the durability check).</summary>
public sealed class SmtpLoad(SmtpLoadOptions o)
{
    public Latency Latency { get; } = new();
    public int Accepted;
    public int Failed;
    public string? FirstError;

    public async Task<TimeSpan> RunAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(o.TimeLimit);
        using var acked = o.AckFile is null ? null : new StreamWriter(o.AckFile, append: true) { AutoFlush = true };
        var next = -1;
        var failStreak = 0;
        var clock = Stopwatch.StartNew();
        var sessions = Enumerable.Range(0, o.Sessions).Select(s => Task.Run(async () =>
        {
            var source = o.Sources.Count == 0 ? null : o.Sources[s % o.Sources.Count];
            while (!deadline.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= o.Messages) return;
                var id = $"{o.IdPrefix}{i:D7}";
                var to = o.Recipients[i % o.Recipients.Count];
                var message = MessageFactory.Create(id, o.From, to, o.Sizes.SizeOf(i), DateTimeOffset.UtcNow);
                var t = Stopwatch.StartNew();
                var outcome = await SmtpSender.SendAsync(o.Server, source, o.From, [to], message, deadline.Token);
                if (outcome.Ok)
                {
                    Latency.Add(t.Elapsed);
                    Interlocked.Increment(ref Accepted);
                    Interlocked.Exchange(ref failStreak, 0);
                    if (acked is not null) lock (acked) acked.WriteLine($"{id}\t{message.Length}");
                }
                else
                {
                    Interlocked.Increment(ref Failed);
                    Interlocked.CompareExchange(ref FirstError, outcome.Detail, null);
                    // A server that refuses everything (killed, or full) ends the run instead of spinning.
                    if (Interlocked.Increment(ref failStreak) >= o.StopAfterFailures) { await deadline.CancelAsync(); return; }
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(sessions);
        return clock.Elapsed;
    }
}

public sealed record SmtpLoadOptions(
    IPEndPoint Server,
    int Sessions,
    int Messages,
    SizeMix Sizes,
    string From,
    IReadOnlyList<string> Recipients,
    TimeSpan TimeLimit)
{
    public IReadOnlyList<IPAddress> Sources { get; init; } = [];
    public string IdPrefix { get; init; } = "m";
    public string? AckFile { get; init; }
    public int StopAfterFailures { get; init; } = 50;
}
