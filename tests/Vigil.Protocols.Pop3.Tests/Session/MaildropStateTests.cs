using System.Text;
using Vigil.Core.Events;
using Vigil.Protocols.Pop3.Session;
using Vigil.Protocols.Pop3.Tests.Support;

namespace Vigil.Protocols.Pop3.Tests.Session;

/// <summary>What a session does to the store: deletions only at QUIT, announced to IMAP; the
/// maildrop lock; UIDL stability.</summary>
public sealed class MaildropStateTests
{
    private static byte[] Msg(string subject) => Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody\r\n");

    [Fact]
    public async Task Dele_takes_effect_at_quit_and_is_announced_as_an_expunge()
    {
        await using var server = await Pop3TestServer.StartAsync();
        for (var i = 1; i <= 3; i++) await server.DeliverAsync(server.Alice, Msg("m" + i));
        var inbox = await server.InboxAsync(server.Alice);
        var usedBefore = (await server.Directory.GetAccountByIdAsync(server.Alice.Id, default))!.UsedBytes;
        var changes = new List<MailboxChange>();
        using var sub = server.Services.Events.Subscribe(server.Alice.Id, c => { lock (changes) changes.Add(c); });

        await using var client = await server.ConnectAsync();
        await client.LoginAsync("alice@example.test", Pop3TestServer.Password);
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 1"));
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 3"));
        Assert.StartsWith("+OK", await client.CommandAsync("NOOP"));

        // Before QUIT: nothing is gone and nobody was told.
        Assert.Equal(3, (await server.InboxMessagesAsync(server.Alice)).Count);
        lock (changes) Assert.Empty(changes);

        Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        Assert.Null(await client.ReadLineAsync());

        Assert.Equal([2u], (await server.InboxMessagesAsync(server.Alice)).Select(m => m.Uid));
        MailboxChange change;
        lock (changes) change = Assert.Single(changes);
        Assert.Equal(MailboxChangeKind.Expunged, change.Kind);
        Assert.Equal([1u, 3u], change.Uids);
        Assert.Equal(inbox.Id, change.MailboxId);
        Assert.Equal((await server.InboxAsync(server.Alice)).HighestModSeq, change.ModSeq);
        Assert.Equal(usedBefore - 2 * Msg("m1").Length, (await server.Directory.GetAccountByIdAsync(server.Alice.Id, default))!.UsedBytes);
    }

    [Fact]
    public async Task A_dropped_connection_deletes_nothing_and_releases_the_lock()
    {
        await using var server = await Pop3TestServer.StartAsync();
        for (var i = 1; i <= 2; i++) await server.DeliverAsync(server.Alice, Msg("m" + i));

        var client = await server.ConnectAsync();
        await client.LoginAsync("alice@example.test", Pop3TestServer.Password);
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 1"));
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 2"));
        await client.DisposeAsync(); // no QUIT

        await WaitUntilAsync(() => !server.Services.Locks.IsHeld(server.Alice.Id));
        Assert.Equal(2, (await server.InboxMessagesAsync(server.Alice)).Count);
        await using var again = await server.ConnectAsync();
        await again.LoginAsync("alice@example.test", Pop3TestServer.Password);
        Assert.Equal("+OK 2 " + 2 * Msg("m1").Length, await again.CommandAsync("STAT"));
    }

    [Fact]
    public async Task A_second_concurrent_login_gets_in_use_and_other_accounts_are_unaffected()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await using var first = await server.ConnectAsync();
        await first.LoginAsync("alice@example.test", Pop3TestServer.Password);

        await using var second = await server.ConnectAsync();
        Assert.StartsWith("+OK", await second.ReadLineAsync());
        Assert.StartsWith("+OK", await second.CommandAsync("USER alice@example.test"));
        Assert.Equal("-ERR [IN-USE] Maildrop is in use by another POP3 session", await second.CommandAsync("PASS " + Pop3TestServer.Password));
        // still in AUTHORIZATION: the client may try again later in the same session
        Assert.Equal("-ERR Not permitted before login", await second.CommandAsync("STAT"));

        await using var bob = await server.ConnectAsync();
        await bob.LoginAsync("bob@example.test", Pop3TestServer.Password);

        Assert.StartsWith("+OK", await first.CommandAsync("QUIT"));
        await WaitUntilAsync(() => !server.Services.Locks.IsHeld(server.Alice.Id));
        Assert.StartsWith("+OK", await second.CommandAsync("USER alice@example.test"));
        Assert.StartsWith("+OK Logged in", await second.CommandAsync("PASS " + Pop3TestServer.Password));
    }

    [Fact]
    public async Task Uidl_is_uidvalidity_dot_uid_and_stable_across_sessions()
    {
        await using var server = await Pop3TestServer.StartAsync();
        var appended = new List<Core.Storage.AppendedMessage>();
        for (var i = 1; i <= 3; i++) appended.Add(await server.DeliverAsync(server.Alice, Msg("m" + i)));

        await using (var c = await server.ConnectAsync())
        {
            await c.LoginAsync("alice@example.test", Pop3TestServer.Password);
            Assert.StartsWith("+OK", await c.CommandAsync("UIDL"));
            Assert.Equal(appended.Select((a, i) => $"{i + 1} {a.UidValidity}.{a.Uid}"), await c.ReadMultiLineAsync());
            await c.CommandAsync("DELE 1");
            await c.CommandAsync("QUIT");
        }
        await server.DeliverAsync(server.Alice, Msg("m4"));
        await using (var c = await server.ConnectAsync())
        {
            await c.LoginAsync("alice@example.test", Pop3TestServer.Password);
            Assert.StartsWith("+OK", await c.CommandAsync("UIDL"));
            var v = appended[0].UidValidity;
            Assert.Equal([$"1 {v}.2", $"2 {v}.3", $"3 {v}.4"], await c.ReadMultiLineAsync());
        }
    }

    [Fact]
    public async Task An_account_sees_only_its_own_maildrop()
    {
        await using var server = await Pop3TestServer.StartAsync();
        await server.DeliverAsync(server.Alice, Msg("for alice"));
        await server.DeliverAsync(server.Bob, Msg("for bob"));
        await server.DeliverAsync(server.Bob, Msg("for bob 2"));

        await using var c = await server.ConnectAsync();
        await c.LoginAsync("bob@example.test", Pop3TestServer.Password);
        Assert.StartsWith("+OK 2 ", await c.CommandAsync("STAT"));
        Assert.StartsWith("+OK", await c.CommandAsync("RETR 1"));
        Assert.Contains("Subject: for bob", await c.ReadMultiLineAsync());
        await c.CommandAsync("DELE 1");
        await c.CommandAsync("DELE 2");
        await c.CommandAsync("QUIT");
        Assert.Single(await server.InboxMessagesAsync(server.Alice));
    }

    [Fact]
    public async Task Messages_expunged_by_imap_meanwhile_are_skipped_at_quit()
    {
        await using var server = await Pop3TestServer.StartAsync();
        for (var i = 1; i <= 2; i++) await server.DeliverAsync(server.Alice, Msg("m" + i));
        var inbox = await server.InboxAsync(server.Alice);

        await using var c = await server.ConnectAsync();
        await c.LoginAsync("alice@example.test", Pop3TestServer.Password);
        await c.CommandAsync("DELE 1");
        await c.CommandAsync("DELE 2");
        await server.Services.Messages.ExpungeAsync(server.Alice.Id, inbox.Id, [1], default); // an IMAP client did it first
        Assert.Equal("+OK pop3.example.test Vigil POP3 server signing off (0 messages left)", await c.CommandAsync("QUIT"));
        Assert.Empty(await server.InboxMessagesAsync(server.Alice));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 s");
            await Task.Delay(10);
        }
    }
}
