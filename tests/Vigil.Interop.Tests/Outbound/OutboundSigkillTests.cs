using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Host.Config;
using Vigil.Host.Setup;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Interop.Tests.Outbound.Peers;
using Vigil.Security.Passwords;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>Issue 5, crash safety: 1,000 messages in the queue, `vigil serve` delivering them to
/// smtp-sink, SIGKILL in the middle, restart. Every message reaches the remote, and the only
/// duplicates are the unavoidable ones: at most one per connection that was between the remote's
/// 250 and our commit when the process died (docs/outbound.md).</summary>
public sealed partial class OutboundSigkillTests
{
    private const int Messages = 1000;

    [Fact]
    public async Task Sigkill_during_delivery_of_1000_queued_messages_loses_none()
    {
        var port = PeerProcess.FreePort();
        await using var dns = new Dnsmasq();
        await dns.Mx("remote.test", "mx1.remote.test", 10).A("mx1.remote.test", Loopback.Mx1).StartAsync();
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "vigil-outkill-" + Guid.NewGuid().ToString("N")[..10]));
        var ports = new ListenerPorts { Smtp = 0, Submission = null, Submissions = null, Imap = null, Imaps = null, Pop3 = null, Pop3s = null, Http = null, Metrics = null };
        var config = DataDirectoryInitializer.Initialize(data, "mail.example.test", "127.0.0.1", 0, ports);
        config.Outbound.DnsServer = dns.Server;
        config.Outbound.SmtpPort = port;
        config.Outbound.FirstRetrySeconds = 1;
        config.Outbound.MaxRetryIntervalSeconds = 2;
        config.Outbound.ConnectionsPerDestination = 4;
        config.Save(data);
        var connections = config.Outbound.ConnectionsPerDestination;

        await QueueMessagesAsync(data);
        await using var sink = await SmtpSink.StartAsync(Loopback.Mx1, port);

        int atKill;
        await using (var server = await VigilProcess.StartAsync(data))
        {
            await WaitAsync(() => Complete(sink).Count >= 300, TimeSpan.FromSeconds(60), "300 deliveries before the kill");
            await server.KillAsync();
            atKill = Complete(sink).Count;
        }
        Assert.True(atKill < Messages, $"all {atKill} messages were out before the kill; the test proved nothing");

        await using (var again = await VigilProcess.StartAsync(data))
        {
            await WaitAsync(() => Complete(sink).Distinct().Count() == Messages, TimeSpan.FromSeconds(90), "every message after the restart");
            await Task.Delay(500); // let the last results commit before the final kill
        }

        var received = Complete(sink);
        var missing = Enumerable.Range(0, Messages).Select(i => $"m{i}").Except(received).ToList();
        Assert.Empty(missing);
        var duplicates = received.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count <= connections, $"{duplicates.Count} duplicates ({string.Join(",", duplicates)}); at most {connections} (one per connection in flight) are unavoidable");

        await using (var db = SqliteDatabase.Open(data.Database))
        {
            Assert.Empty(await new SqliteQueueStore(db).ListAsync(CancellationToken.None));
            var alice = (await new SqliteDirectoryStore(db).GetAccountAsync("alice", "example.test", CancellationToken.None))!;
            var messages = new SqliteMessageStore(db);
            var inbox = (await messages.GetMailboxAsync(alice.Id, Mailbox.Inbox, CancellationToken.None))!;
            Assert.Empty(await messages.ListMessagesAsync(alice.Id, inbox.Id, CancellationToken.None)); // no bounce, no delay notice
        }
        Directory.Delete(data.Root, recursive: true);
    }

    /// <summary>The state a busy server leaves: 1,000 accepted messages in the queue, written through
    /// the same queue code SMTP uses.</summary>
    private static async Task QueueMessagesAsync(DataDirectory data)
    {
        await using var db = SqliteDatabase.Open(data.Database);
        var directory = new SqliteDirectoryStore(db);
        await directory.AddDomainAsync("example.test", default);
        await new AccountService(directory, new Argon2idPasswordHasher(new Argon2Cost(64, 1, 1))).CreateAsync(EmailAddress.Parse("alice@example.test"), "irrelevant-pw", 0, false, default);
        var blobs = new InlineBlobStore(new FileBlobStore(data.Blobs), db);
        var queue = new OutboundQueue(new SqliteQueueStore(db), new QueueSignal(), TimeProvider.System, NullLogger<OutboundQueue>.Instance);
        await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var text = $"From: alice@example.test\r\nTo: bob{i}@remote.test\r\nSubject: message {i}\r\nMessage-Id: <m{i}@example.test>\r\n\r\n"
                + string.Concat(Enumerable.Repeat($"payload line of message {i}\r\n", 20)) + $"END-m{i}\r\n";
            await using var writer = blobs.CreateWriter();
            await writer.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), ct);
            var blob = await writer.CommitAsync(ct);
            var rcpt = new EnvelopeRecipient($"bob{i}@remote.test", DsnNotify.Default, null);
            var envelope = new Envelope("alice@example.test", [rcpt], null, DsnReturn.Default, BodyType.SevenBit, false, "alice@example.test", "127.0.0.1", "load");
            await queue.EnqueueAsync(QueueIds.New(), blob, writer.Length, envelope, [rcpt], ct);
        });
    }

    /// <summary>Ids of messages smtp-sink received whole (the body's end marker followed by the
    /// empty line smtp-sink writes at end of data); a transfer cut by the kill does not count.</summary>
    private static List<string> Complete(SmtpSink sink) =>
        sink.Messages().Select(m => EndMarker().Match(m)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"END-(m\d+)\r?\n\r?\n\z")]
    private static partial Regex EndMarker();

    private static async Task WaitAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
