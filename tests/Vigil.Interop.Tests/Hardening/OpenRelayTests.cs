using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Delivery;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>No open relay: every classic relay trick sent unauthenticated to port 25 of a server
/// whose outbound delivery is ON (a recording queue stands in for it) is refused, or — where the
/// address is really local — delivered locally and never queued for a remote host.</summary>
public sealed class OpenRelayTests
{
    /// <summary>RCPT TO argument → the exact reply with no catch-all on the local domain.</summary>
    public static TheoryData<string, string> Tricks() => new()
    {
        // plain relay and spoofed local sender
        { "<victim@remote.test>", "554 5.7.1 Relay access denied" },
        // percent hack: routed by old sendmails to the host after '%'
        { "<victim%remote.test@example.test>", "550 5.1.1 No such user here" },
        { "<victim%remote.test>", "501 5.1.3 Syntax: address must be fully qualified" },
        { "<victim%example.test@remote.test>", "554 5.7.1 Relay access denied" },
        // bang path (UUCP)
        { "<remote.test!victim@example.test>", "550 5.1.1 No such user here" },
        { "<remote.test!victim>", "501 5.1.3 Syntax: address must be fully qualified" },
        // source routes: only the final mailbox counts (RFC 5321 §4.1.1.3, Appendix C)
        { "<@example.test:victim@remote.test>", "554 5.7.1 Relay access denied" },
        { "<@example.test,@mail.example.test:victim@remote.test>", "554 5.7.1 Relay access denied" },
        { "<@remote.test:victim@example.test>", "550 5.1.1 No such user here" },
        // quoted local parts containing '@'
        { "<\"victim@remote.test\"@example.test>", "550 5.1.1 No such user here" },
        { "<\"victim@remote.test\">", "501 5.1.3 Syntax error in mailbox" },
        { "<\"victim@example.test\"@remote.test>", "554 5.7.1 Relay access denied" },
        { "<victim@remote.test@example.test>", "501 5.1.3 Syntax error in mailbox" },
        // IP literals, including our own address
        { "<victim@[192.0.2.1]>", "550 5.1.3 Bad recipient address" },
        { "<victim@[127.0.0.1]>", "550 5.1.3 Bad recipient address" },
        { "<victim@[IPv6:::1]>", "550 5.1.3 Bad recipient address" },
        { "<bob@[127.0.0.1]>", "550 5.1.3 Bad recipient address" },
        // unqualified names
        { "<victim>", "501 5.1.3 Syntax: address must be fully qualified" },
        { "<victim@localhost>", "554 5.7.1 Relay access denied" },
        { "<victim@example>", "554 5.7.1 Relay access denied" },
        // case and trailing-dot variants of the local domain and of remote ones
        { "<victim@REMOTE.test>", "554 5.7.1 Relay access denied" },
        { "<victim@example.test.>", "501 5.1.3 Syntax error in mailbox" },
        { "<victim@remote.test.>", "501 5.1.3 Syntax error in mailbox" },
        { "<bob@example.test.>", "501 5.1.3 Syntax error in mailbox" },
        { "<victim@example.test..>", "501 5.1.3 Syntax error in mailbox" },
        { "<victim@.example.test>", "501 5.1.3 Syntax error in mailbox" },
        { "<victim@example.test.remote.test>", "554 5.7.1 Relay access denied" },
        { "<victim@remote.test%example.test>", "501 5.1.3 Syntax error in mailbox" },
        // look-alikes: a Cyrillic 'е' is another domain
        { "<victim@\u0435xample.test>", "553 5.6.7 Non-ASCII address requires SMTPUTF8" },
        // stray text after the path
        { "<victim@remote.test> <bob@example.test>", "501 5.1.3 Syntax error in parameters" },
    };

    [Theory]
    [MemberData(nameof(Tricks))]
    public async Task Relay_trick_is_refused(string path, string reply)
    {
        var queue = new RecordingQueue();
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<IOutboundQueue>(queue));
        var bob = await server.AddUserAsync("bob");
        await using var c = await OpenAsync(server);
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<bob@example.test>")); // forged local sender
        Assert.Equal(reply, await c.CommandAsync("RCPT TO:" + path));
        Assert.StartsWith("503", await c.CommandAsync("DATA")); // no recipient was accepted
        Assert.Empty(queue.Enqueued);
        Assert.Empty(await server.InboxAsync(bob));
    }

    public static TheoryData<string> LocalLookingTricks() =>
    [
        "<victim%remote.test@example.test>",
        "<remote.test!victim@example.test>",
        "<@remote.test:victim@example.test>",
        "<\"victim@remote.test\"@example.test>",
        "<victim@EXAMPLE.TEST>",
        "<victim@Example.Test>",
        "<victim@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.test>", // full-width letters fold to example.test (IDNA)
    ];

    /// <summary>With a catch-all, the tricks that name the local domain are accepted — and land in
    /// the catch-all's mailbox; nothing goes to the outbound queue.</summary>
    [Theory]
    [MemberData(nameof(LocalLookingTricks))]
    public async Task With_a_catch_all_local_looking_tricks_are_delivered_locally_never_relayed(string path)
    {
        var queue = new RecordingQueue();
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<IOutboundQueue>(queue));
        var bob = await server.AddUserAsync("bob");
        await server.Get<IDirectoryStore>().AddAliasAsync(Alias.CatchAll, TestServer.Domain, "bob@example.test", CancellationToken.None);
        await using var c = await OpenAsync(server);
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<x@remote.test> SMTPUTF8"));
        Assert.Equal("250 2.1.5 Recipient OK", await c.CommandAsync("RCPT TO:" + path));
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        Assert.StartsWith("250", await c.CommandAsync("Subject: relay?\r\n\r\nhello\r\n."));
        Assert.Empty(queue.Enqueued);
        Assert.Single(await server.InboxAsync(bob));
    }

    [Fact]
    public async Task Only_authentication_opens_relaying_and_a_failed_attempt_does_not()
    {
        var queue = new RecordingQueue();
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<IOutboundQueue>(queue));
        await server.AddUserAsync("bob");
        await using (var c = await OpenAsync(server))
        {
            Assert.StartsWith("535", await c.CommandAsync("AUTH PLAIN " + Convert.ToBase64String("\0bob@example.test\0wrong"u8)));
            Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<bob@example.test> AUTH=bob@example.test"));
            Assert.Equal("554 5.7.1 Relay access denied", await c.CommandAsync("RCPT TO:<victim@remote.test>"));
        }
        await using (var s = await OpenAsync(server, "submission"))
        {
            Assert.Equal("530 5.7.0 Authentication required", await s.CommandAsync("MAIL FROM:<bob@example.test>"));
            Assert.StartsWith("235", await s.CommandAsync("AUTH PLAIN " + Convert.ToBase64String("\0bob@example.test\0correct-horse-1"u8)));
            Assert.StartsWith("250", await s.CommandAsync("MAIL FROM:<bob@example.test>"));
            Assert.Equal("250 2.1.5 Recipient OK", await s.CommandAsync("RCPT TO:<friend@remote.test>"));
            Assert.StartsWith("354", await s.CommandAsync("DATA"));
            Assert.StartsWith("250", await s.CommandAsync("Subject: ok\r\n\r\nhello\r\n."));
        }
        var queued = Assert.Single(queue.Enqueued);
        Assert.Equal("friend@remote.test", Assert.Single(queued.Recipients).Address);
        Assert.Equal("bob@example.test", queued.Envelope.AuthenticatedUser);
    }

    private static async Task<RawClient> OpenAsync(TestServer server, string listener = "smtp")
    {
        var c = await RawClient.ConnectAsync(server.EndPoint(listener));
        Assert.StartsWith("220 ", await c.ReadReplyAsync());
        Assert.StartsWith("250", await c.CommandAsync("EHLO relay-probe.test"));
        return c;
    }

    private sealed class RecordingQueue : IOutboundQueue
    {
        private readonly List<(Envelope Envelope, IReadOnlyList<EnvelopeRecipient> Recipients)> _enqueued = [];

        public IReadOnlyList<(Envelope Envelope, IReadOnlyList<EnvelopeRecipient> Recipients)> Enqueued
        {
            get { lock (_enqueued) return _enqueued.ToList(); }
        }

        public Task EnqueueAsync(string queueId, BlobId blob, long size, Envelope envelope, IReadOnlyList<EnvelopeRecipient> remoteRecipients, CancellationToken ct)
        {
            lock (_enqueued) _enqueued.Add((envelope, remoteRecipients));
            return Task.CompletedTask;
        }
    }
}
