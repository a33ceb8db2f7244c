using System.Globalization;
using System.Net;
using Vigil.Bench.Durability;
using Vigil.Bench.Imap;
using Vigil.Bench.Messages;
using Vigil.Bench.Report;
using Vigil.Bench.Smtp;
using Vigil.Bench.Store;
using Vigil.Security.Passwords;

namespace Vigil.Bench;

/// <summary>vigil-bench COMMAND --options: the pieces bench/run.sh and bench/durability.sh put
/// together. Each command is bounded in count and time.</summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] argv)
    {
        if (argv.Length == 0)
        {
            Console.Error.WriteLine("usage: vigil-bench provision|smtp|imap|idle|fetch|maildir|durability|report|argon2 [--options]");
            return 2;
        }
        try
        {
            var a = new Args(argv.Skip(1));
            return argv[0] switch
            {
                "provision" => await ProvisionAsync(a),
                "smtp" => await SmtpAsync(a),
                "imap" => await ImapAsync(a),
                "idle" => await IdleAsync(a),
                "fetch" => await FetchAsync(a),
                "maildir" => Maildir(a),
                "durability" => await DurabilityAsync(a),
                "report" => ReportTable.Print(a.Get("results"), a.Opt("markdown")),
                "argon2" => Argon2(a),
                _ => throw new ArgumentException($"unknown command '{argv[0]}'"),
            };
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("vigil-bench: " + ex.Message);
            return 2;
        }
    }

    private static int Argon2(Args a)
    {
        var (hashes, memory, passes, rounds) = (a.Int("hashes", 40), a.Int("memory", 19456), a.Int("passes", 2), a.Int("rounds", 4));
        a.EnsureAllUsed();
        return Passwords.Argon2Bench.Run(hashes, memory, passes, rounds);
    }

    private static async Task<int> ProvisionAsync(Args a)
    {
        var users = Users(a);
        var argon = a.Get("argon2", "19456,2").Split(',');
        var cost = new Argon2Cost(int.Parse(argon[0], CultureInfo.InvariantCulture), int.Parse(argon[1], CultureInfo.InvariantCulture), 1);
        var data = a.Get("data");
        var domain = a.Get("domain", "bench.test");
        var password = a.Get("password");
        var perIp = a.Int("max-per-ip", 1000);
        var total = a.Int("max-connections", 20000);
        var dovecot = a.Opt("dovecot-passwd");
        a.EnsureAllUsed();
        await Provisioner.RunAsync(data, domain, users, password, cost, perIp, total, dovecot, CancellationToken.None);
        return 0;
    }

    /// <summary>--users PREFIX:COUNT (user0..userN-1) and/or --names a,b,c.</summary>
    private static List<string> Users(Args a)
    {
        var list = new List<string>();
        if (a.Opt("users") is { } spec)
        {
            var parts = spec.Split(':');
            list.AddRange(Enumerable.Range(0, int.Parse(parts[1], CultureInfo.InvariantCulture)).Select(i => parts[0] + i.ToString(CultureInfo.InvariantCulture)));
        }
        if (a.Opt("names") is { } names) list.AddRange(names.Split(',', StringSplitOptions.RemoveEmptyEntries));
        return list;
    }

    private static async Task<int> SmtpAsync(Args a)
    {
        var sizes = SizeMix.Parse(a.Get("sizes", "4096"));
        var to = a.Get("to").Split(',');
        var options = new SmtpLoadOptions(a.EndPoint("server"), a.Int("sessions", 20), a.Int("messages", 100), sizes, a.Get("from", "load@remote.test"), to,
            TimeSpan.FromSeconds(a.Int("time-limit", 600)))
        {
            Sources = a.Sources("sources"),
            IdPrefix = a.Get("id-prefix", "m"),
            AckFile = a.Opt("acked"),
        };
        var results = a.Opt("results");
        var workload = a.Get("workload", "smtp");
        var server = a.Get("server-name", "server");
        a.EnsureAllUsed();
        var load = new SmtpLoad(options);
        var elapsed = await load.RunAsync(CancellationToken.None);
        Console.Error.WriteLine($"smtp: {load.Accepted} accepted, {load.Failed} failed in {elapsed.TotalSeconds:F1} s ({sizes.Describe}, {options.Sessions} sessions){(load.FirstError is null ? "" : "; first error: " + load.FirstError)}");
        Results.Append(results, workload, server, "accepted", load.Accepted, "msgs", load.Failed > 0 ? $"{load.Failed} failed: {load.FirstError}" : "");
        Results.Append(results, workload, server, "client-time", elapsed.TotalSeconds, "s", "until the last 250");
        Results.Append(results, workload, server, "smtp-p50", load.Latency.Percentile(50), "ms");
        Results.Append(results, workload, server, "smtp-p99", load.Latency.Percentile(99), "ms");
        return load.Failed == 0 ? 0 : 1;
    }

    private static async Task<int> ImapAsync(Args a)
    {
        var o = new ImapLoadOptions(a.EndPoint("server"), a.Int("clients", 10), a.Int("users", 10), a.Get("user-prefix", "user"), a.Get("domain", "bench.test"),
            a.Get("password"), TimeSpan.FromSeconds(a.Int("duration", 30)))
        {
            Sources = a.Sources("sources"),
        };
        var results = a.Opt("results");
        var workload = a.Get("workload", $"imap-{o.Clients}");
        var server = a.Get("server-name", "server");
        a.EnsureAllUsed();
        var load = new ImapLoad(o);
        var elapsed = await load.RunAsync(CancellationToken.None);
        Console.Error.WriteLine($"imap: {load.Commands} commands in {elapsed.TotalSeconds:F1} s, {load.Errors} errors{(load.FirstError is null ? "" : "; first: " + load.FirstError)}");
        foreach (var (what, latency) in load.PerCommand.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"imap: {what,-12} n={latency.Count,6} p50 {latency.Percentile(50),7:F2} ms  p90 {latency.Percentile(90),7:F2} ms  p99 {latency.Percentile(99),7:F2} ms");
        }
        Results.Append(results, workload, server, "commands/s", load.Commands / elapsed.TotalSeconds, "cmd/s", load.Errors > 0 ? $"{load.Errors} errors: {load.FirstError}" : "");
        Results.Append(results, workload, server, "select+fetch-p50", load.SelectFetch.Percentile(50), "ms");
        Results.Append(results, workload, server, "select+fetch-p99", load.SelectFetch.Percentile(99), "ms");
        return load.Errors == 0 ? 0 : 1;
    }

    private static async Task<int> IdleAsync(Args a)
    {
        var o = new IdleLoadOptions(a.EndPoint("server"), a.Int("connections", 100), a.Int("users", 10), a.Get("user-prefix", "user"), a.Get("domain", "bench.test"),
            a.Get("password"), a.Sources("sources") is { Count: > 0 } s ? s : [IPAddress.Loopback])
        {
            Parallel = a.Int("parallel", 32),
        };
        var smtp = a.EndPoint("notify-smtp");
        var ready = a.Get("ready-file");
        var release = a.Get("release-file");
        var hold = TimeSpan.FromSeconds(a.Int("hold", 120));
        var results = a.Opt("results");
        var workload = a.Get("workload", "idle");
        var server = a.Get("server-name", "server");
        a.EnsureAllUsed();

        await using var load = new IdleLoad(o);
        var opened = await load.OpenAllAsync(CancellationToken.None);
        Console.Error.WriteLine($"idle: {load.Open} of {o.Connections} connections idling after {opened.TotalSeconds:F1} s, {load.Failed} failed{(load.FirstError is null ? "" : "; first: " + load.FirstError)}");
        Results.Append(results, workload, server, "idling", load.Open, "conns", load.Failed > 0 ? $"{load.Failed} failed: {load.FirstError}" : "");
        Results.Append(results, workload, server, "open-time", opened.TotalSeconds, "s", "login+select+idle for all");
        try
        {
            var notify = await load.NotifyLatencyAsync(smtp, CancellationToken.None);
            if (notify is { } n) Results.Append(results, workload, server, "new-mail-to-EXISTS", n.TotalMilliseconds, "ms", "SMTP send start to EXISTS on an idling connection (median of 5, after one warm-up)");
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            Console.Error.WriteLine("idle: notification not seen: " + ex.Message);
            Results.Append(results, workload, server, "new-mail-to-EXISTS", double.NaN, "ms", "not seen: " + ex.Message);
        }
        // Let the caller measure the server's memory with every connection open.
        await File.WriteAllTextAsync(ready, load.Open.ToString(CultureInfo.InvariantCulture));
        var until = DateTime.UtcNow + hold;
        while (!File.Exists(release) && DateTime.UtcNow < until) await Task.Delay(200);
        return load.Open == o.Connections ? 0 : 1;
    }

    private static async Task<int> FetchAsync(Args a)
    {
        var server = a.EndPoint("server");
        var user = a.Get("user");
        var password = a.Get("password");
        var passes = a.Int("passes", 2);
        var results = a.Opt("results");
        var workload = a.Get("workload", "fetch-envelope");
        var name = a.Get("server-name", "server");
        a.EnsureAllUsed();
        for (var pass = 1; pass <= passes; pass++)
        {
            var (select, fetch, n) = await FetchEnvelope.RunAsync(server, user, password, CancellationToken.None);
            var label = pass == 1 ? "cold" : "warm";
            Console.Error.WriteLine($"fetch pass {pass}: SELECT {select.TotalMilliseconds:F0} ms, FETCH 1:* (ENVELOPE) {fetch.TotalMilliseconds:F0} ms, {n} responses");
            Results.Append(results, workload, name, $"select-{label}", select.TotalMilliseconds, "ms");
            Results.Append(results, workload, name, $"fetch-{label}", fetch.TotalMilliseconds, "ms", $"{n} FETCH responses");
        }
        return 0;
    }

    private static int Maildir(Args a)
    {
        var dir = a.Get("dir");
        var user = a.Get("user");
        var count = a.Int("count", 100);
        var sizes = SizeMix.Parse(a.Get("sizes", "4096"));
        var prefix = a.Get("id-prefix", "f");
        a.EnsureAllUsed();
        MaildirWriter.Fill(dir, user, count, sizes, prefix);
        return 0;
    }

    private static async Task<int> DurabilityAsync(Args a)
    {
        var run = new DurabilityRun(a.Get("vigil"), a.Get("data"), a.Get("user", "bench"), a.Get("domain", "bench.test"),
            a.Int("rounds", 20), a.Int("sessions", 20), a.Int("seed", Environment.TickCount), Console.Out);
        a.EnsureAllUsed();
        return await run.RunAsync(CancellationToken.None);
    }
}
