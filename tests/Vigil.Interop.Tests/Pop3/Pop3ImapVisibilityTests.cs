using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>POP3 deletions are an expunge that IMAP sessions see — after the POP3 QUIT, not
/// before (RFC 1939 §6: DELE only marks). Both sides are MailKit clients.</summary>
public sealed class Pop3ImapVisibilityTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.AddUserAsync("vera");
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", _server.Port("smtp"), SecureSocketOptions.None);
        for (var i = 1; i <= 5; i++)
        {
            var m = new MimeMessage();
            m.From.Add(MailboxAddress.Parse("sender@remote.test"));
            m.To.Add(MailboxAddress.Parse("vera@example.test"));
            m.Subject = "visible " + i;
            m.Body = new TextPart("plain") { Text = "message " + i };
            await smtp.SendAsync(m);
        }
        await smtp.DisconnectAsync(true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Imap_sees_pop3_deletions_after_quit_and_not_before()
    {
        using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await imap.ConnectAsync("127.0.0.1", _server.Port("imaps"), SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync("vera@example.test", TestServer.Password);
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(5, inbox.Count);
        var before = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);
        var expunged = new List<int>();
        inbox.MessageExpunged += (_, e) => expunged.Add(e.Index);

        using var pop = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await pop.ConnectAsync("127.0.0.1", _server.Port("pop3s"), SecureSocketOptions.SslOnConnect);
        await pop.AuthenticateAsync("vera@example.test", TestServer.Password);
        // POP3 UIDL and IMAP UID name the same message.
        Assert.Equal(before.Select(s => $"{inbox.UidValidity}.{s.UniqueId.Id}"), await pop.GetMessageUidsAsync());
        await pop.DeleteMessagesAsync([0, 2]);
        await pop.NoOpAsync();

        await imap.NoOpAsync();
        Assert.Equal(5, inbox.Count);
        Assert.Empty(expunged);

        await pop.DisconnectAsync(quit: true);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (inbox.Count != 3 && DateTime.UtcNow < deadline)
        {
            await imap.NoOpAsync();
            if (inbox.Count != 3) await Task.Delay(50);
        }
        Assert.Equal(3, inbox.Count);
        Assert.Equal(2, expunged.Count);
        var after = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);
        Assert.Equal(["visible 2", "visible 4", "visible 5"], after.Select(s => s.Envelope.Subject));
        await imap.DisconnectAsync(true);
    }
}
