using System.Diagnostics;
using System.Net;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Every rate limit and resource bound on SMTP, each with a small configured value so the
/// test reaches it quickly, and each checked from a second loopback address to show it only hits
/// the offender.</summary>
public sealed class SmtpLimitsTests
{
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    private static async Task<RawClient> GreetedAsync(TestServer server, string listener = "smtp", IPAddress? from = null)
    {
        var c = await RawClient.ConnectAsync(server.EndPoint(listener), from);
        Assert.StartsWith("220 ", await c.ReadReplyAsync());
        Assert.StartsWith("250", await c.CommandAsync("EHLO limits.test"));
        return c;
    }

    [Fact]
    public async Task Unauthenticated_sessions_get_a_bounded_number_of_non_mail_commands()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxCommandsBeforeAuth = 5);
        await server.AddUserAsync("bob");
        await using (var c = await GreetedAsync(server))
        {
            // EHLO was the first; mail-flow commands do not count.
            Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@remote.test>"));
            Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob@example.test>"));
            for (var i = 0; i < 4; i++) Assert.StartsWith("250", await c.CommandAsync(i % 2 == 0 ? "NOOP" : "RSET"));
            Assert.Equal("421 4.7.0 Too many commands without mail, closing connection", await c.CommandAsync("NOOP"));
            Assert.Null(await c.ReadLineAsync());
        }
        // An authenticated session is not limited.
        await using var auth = await GreetedAsync(server, "submission");
        Assert.StartsWith("235", await auth.CommandAsync("AUTH PLAIN " + Convert.ToBase64String("\0bob@example.test\0correct-horse-1"u8)));
        for (var i = 0; i < 10; i++) Assert.StartsWith("250", await auth.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_connection_carries_a_bounded_number_of_messages()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxMessagesPerConnection = 2);
        var bob = await server.AddUserAsync("bob");
        await using var c = await GreetedAsync(server);
        for (var i = 0; i < 2; i++)
        {
            Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@remote.test>"));
            Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob@example.test>"));
            Assert.StartsWith("354", await c.CommandAsync("DATA"));
            Assert.StartsWith("250", await c.CommandAsync($"Subject: {i}\r\n\r\nbody\r\n."));
        }
        Assert.Equal("421 4.7.0 Too many messages in one connection, please reconnect", await c.CommandAsync("MAIL FROM:<a@remote.test>"));
        Assert.Null(await c.ReadLineAsync());
        Assert.Equal(2, (await server.InboxAsync(bob)).Count);
    }

    [Fact]
    public async Task Recipients_per_hour_are_limited_per_network_and_per_account()
    {
        await using var server = await TestServer.StartAsync(c => c.RateLimits = c.RateLimits with { RecipientsPerHourPerIp = 3, RecipientsPerHourPerAccount = 2 });
        await server.AddUserAsync("bob");
        await server.AddUserAsync("carol");
        await using (var c = await GreetedAsync(server))
        {
            Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@remote.test>"));
            Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob@example.test>"));
            Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<carol@example.test>"));
            Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob+x@example.test>"));
            Assert.Equal("450 4.7.1 Recipient rate limit exceeded, try again later", await c.CommandAsync("RCPT TO:<carol@example.test>"));
        }
        await using (var again = await GreetedAsync(server))
        {
            Assert.StartsWith("250", await again.CommandAsync("MAIL FROM:<a@remote.test>"));
            Assert.StartsWith("450 4.7.1", await again.CommandAsync("RCPT TO:<bob@example.test>"));
        }
        await using (var other = await GreetedAsync(server, from: Other))
        {
            Assert.StartsWith("250", await other.CommandAsync("MAIL FROM:<a@remote.test>"));
            Assert.StartsWith("250", await other.CommandAsync("RCPT TO:<bob@example.test>"));
        }
        // Authenticated senders are counted per account, whatever address they come from.
        await using var bob = await GreetedAsync(server, "submission");
        Assert.StartsWith("235", await bob.CommandAsync("AUTH PLAIN " + Convert.ToBase64String("\0bob@example.test\0correct-horse-1"u8)));
        Assert.StartsWith("250", await bob.CommandAsync("MAIL FROM:<bob@example.test>"));
        Assert.StartsWith("250", await bob.CommandAsync("RCPT TO:<carol@example.test>"));
        Assert.StartsWith("250", await bob.CommandAsync("RCPT TO:<bob@example.test>"));
        Assert.StartsWith("450 4.7.1", await bob.CommandAsync("RCPT TO:<carol+2@example.test>"));
    }

    [Fact]
    public async Task New_connections_per_minute_are_limited_per_network()
    {
        await using var server = await TestServer.StartAsync(c => c.RateLimits = c.RateLimits with { NewConnectionsPerMinute = 5 });
        for (var i = 0; i < 5; i++)
        {
            await using var ok = await RawClient.ConnectAsync(server.EndPoint("smtp"));
            Assert.StartsWith("220 ", await ok.ReadReplyAsync());
        }
        await using (var refused = await RawClient.ConnectAsync(server.EndPoint("smtp")))
        {
            Assert.Equal("421 4.7.0 mail.example.test Too many connections from your address; slow down", await refused.ReadReplyAsync());
        }
        await using (var submission = await RawClient.ConnectAsync(server.EndPoint("submission")))
        {
            Assert.StartsWith("421 4.7.0", await submission.ReadReplyAsync()); // same protocol, same budget
        }
        await using (var pop3 = await RawClient.ConnectAsync(server.EndPoint("pop3")))
        {
            Assert.StartsWith("+OK", await pop3.ReadLineAsync()); // each protocol has its own
        }
        await using var other = await RawClient.ConnectAsync(server.EndPoint("smtp"), Other);
        Assert.StartsWith("220 ", await other.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_trickling_DATA_is_cut_off_and_nothing_is_kept()
    {
        await using var server = await TestServer.StartAsync(c =>
        {
            c.Smtp.MinDataBytesPerSecond = 200;
            c.Smtp.SlowTransferGraceSeconds = 1;
        });
        var bob = await server.AddUserAsync("bob");
        await using var c = await GreetedAsync(server);
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@remote.test>"));
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob@example.test>"));
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        var sw = Stopwatch.StartNew();
        var reply = await TrickleUntilReplyAsync(c);
        Assert.Equal("421 4.4.2 Data arriving too slowly, closing connection", reply);
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 15);
        Assert.Empty(await server.InboxAsync(bob));
        var tmp = Path.Combine(server.Data.Blobs, "tmp");
        for (var i = 0; i < 100 && Directory.EnumerateFiles(tmp).Any(); i++) await Task.Delay(50); // the reply goes out before the partial blob is deleted
        Assert.Empty(Directory.EnumerateFiles(tmp));
    }

    [Fact]
    public async Task A_client_trickling_a_BDAT_chunk_is_cut_off()
    {
        await using var server = await TestServer.StartAsync(c =>
        {
            c.Smtp.MinDataBytesPerSecond = 200;
            c.Smtp.SlowTransferGraceSeconds = 1;
        });
        var bob = await server.AddUserAsync("bob");
        await using var c = await GreetedAsync(server);
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@remote.test>"));
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob@example.test>"));
        await c.SendAsync("BDAT 100000 LAST\r\n");
        Assert.Equal("421 4.4.2 Data arriving too slowly, closing connection", await TrickleUntilReplyAsync(c));
        Assert.Empty(await server.InboxAsync(bob));
    }

    [Fact]
    public async Task A_command_line_sent_a_byte_at_a_time_ends_at_the_command_timeout()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.CommandTimeoutSeconds = 2);
        await using var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        Assert.StartsWith("220 ", await c.ReadReplyAsync());
        var sw = Stopwatch.StartNew();
        Assert.Equal("421 4.4.2 Timeout exceeded, closing connection", await TrickleUntilReplyAsync(c));
        Assert.InRange(sw.Elapsed.TotalSeconds, 1.9, 10);
    }

    [Fact]
    public async Task A_BDAT_chunk_larger_than_any_message_closes_the_connection_unread()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxMessageBytes = 10_000);
        await server.AddUserAsync("bob");
        await using var c = await GreetedAsync(server);
        Assert.Equal("552 5.3.4 Chunk exceeds the maximum message size; closing connection", await c.CommandAsync("BDAT 9999999999999 LAST"));
        Assert.Null(await c.ReadLineAsync());
    }

    /// <summary>Sends 'x' every 100 ms (10 bytes/s) until the server says something.</summary>
    private static async Task<string?> TrickleUntilReplyAsync(RawClient c)
    {
        var reply = c.ReadLineAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 300 && !reply.IsCompleted; i++)
        {
            try
            {
                await c.SendAsync("x");
            }
            catch (IOException)
            {
                break; // the server closed while we were sending
            }
            await Task.WhenAny(reply, Task.Delay(100));
        }
        return await reply;
    }
}
