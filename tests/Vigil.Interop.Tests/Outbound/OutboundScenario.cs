using System.Net;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Host.Config;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Interop.Tests.Outbound.Peers;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>A small fake Internet for one test: dnsmasq answering for *.test (remote.test's MX is
/// mx1.remote.test on 127.0.0.2), a Vigil server whose outbound side uses that DNS and the test's
/// port as "port 25", fast retries, and a local user alice who submits.</summary>
public sealed class OutboundScenario : IAsyncDisposable
{
    private readonly List<SmtpSink> _sinks = [];

    private OutboundScenario(Dnsmasq dns, TestServer server, int port, Account alice)
    {
        Dns = dns;
        Server = server;
        Port = port;
        Alice = alice;
    }

    public Dnsmasq Dns { get; }
    public TestServer Server { get; }
    public int Port { get; }
    public Account Alice { get; }

    public static async Task<OutboundScenario> StartAsync(Action<Dnsmasq>? records = null, Action<OutboundConfig>? configure = null)
    {
        var port = PeerProcess.FreePort();
        var dns = new Dnsmasq();
        dns.Mx("remote.test", "mx1.remote.test", 10).A("mx1.remote.test", Loopback.Mx1);
        records?.Invoke(dns);
        await dns.StartAsync();
        var server = await TestServer.StartAsync(c =>
        {
            c.Outbound.DnsServer = dns.Server;
            c.Outbound.SmtpPort = port;
            c.Outbound.FirstRetrySeconds = 1;
            c.Outbound.MaxRetryIntervalSeconds = 1;
            c.Outbound.ConnectTimeoutSeconds = 5;
            configure?.Invoke(c.Outbound);
        });
        var alice = await server.AddUserAsync("alice");
        return new OutboundScenario(dns, server, port, alice);
    }

    /// <summary>An smtp-sink on <paramref name="address"/> at the scenario's port.</summary>
    public async Task<SmtpSink> SinkAsync(IPAddress address, params string[] options)
    {
        var sink = await SmtpSink.StartAsync(address, Port, null, options);
        _sinks.Add(sink);
        return sink;
    }

    public async Task StopSinkAsync(SmtpSink sink)
    {
        _sinks.Remove(sink);
        await sink.DisposeAsync();
    }

    /// <summary>Submits with Python's smtplib (STARTTLS, AUTH as alice); returns the reply line.</summary>
    public async Task<string> SendAsync(string to, string subject, string from = "alice@example.test", string ret = "-", string envId = "-", string notify = "-", string orcpt = "-", string? extraHeaders = null)
    {
        string? headerFile = null;
        if (extraHeaders is not null)
        {
            headerFile = Path.GetTempFileName();
            await File.WriteAllTextAsync(headerFile, extraHeaders);
        }
        try
        {
            string[] args = [OutboundHelpers.Python("smtp_send_dsn.py"), "127.0.0.1", Server.Port("submission").ToString(), "alice@example.test", TestServer.Password,
                from, to, subject, ret, envId, notify, orcpt, .. (headerFile is null ? Array.Empty<string>() : [headerFile])];
            var r = await ExternalTool.RunAsync("python3", args);
            Assert.True(r.ExitCode == 0, r.ToString());
            return r.Stdout.Trim();
        }
        finally
        {
            if (headerFile is not null) File.Delete(headerFile);
        }
    }

    public async Task<IReadOnlyList<QueueEntry>> QueueAsync() => await Server.Get<IQueueStore>().ListAsync(CancellationToken.None);

    /// <summary>Waits until a queued recipient has had <paramref name="attempts"/> attempts; returns its state.</summary>
    public Task<RecipientProgress> AttemptedAsync(int attempts = 1) =>
        OutboundHelpers.EventuallyAsync(async () => (await QueueAsync()).SelectMany(e => e.Recipients).Select(r => r.Progress).FirstOrDefault(p => p.Attempts >= attempts),
            $"{attempts} attempt(s)");

    /// <summary>Waits for a message in alice's INBOX whose text contains <paramref name="marker"/>.</summary>
    public Task<string> InboxMessageAsync(string marker) =>
        OutboundHelpers.EventuallyAsync(async () => (await OutboundHelpers.InboxTextsAsync(Server, Alice)).FirstOrDefault(t => t.Contains(marker, StringComparison.Ordinal)),
            $"a message containing '{marker}' in alice's INBOX");

    public async Task WaitForEmptyQueueAsync()
    {
        try
        {
            await OutboundHelpers.EventuallyAsync(async () => (await QueueAsync()).Count == 0 ? "empty" : null, "the queue to empty");
        }
        catch (TimeoutException ex)
        {
            var left = (await QueueAsync()).SelectMany(e => e.Recipients).Select(r => $"{r.Address} {r.Progress}");
            throw new TimeoutException($"{ex.Message}; still queued: {string.Join("; ", left)}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var sink in _sinks) await sink.DisposeAsync();
        await Dns.DisposeAsync();
    }
}
