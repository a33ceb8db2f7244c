using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Shared steps of the IMAP interop tests: mail goes in through SMTP (MailKit's
/// SmtpClient on the MX listener) and is read back through IMAP clients.</summary>
internal static class ImapInterop
{
    public static string Address(string user) => $"{user}@{TestServer.Domain}";

    public static MimeMessage Message(string subject, string body, string from = "sender@remote.test", string? messageId = null, string? inReplyTo = null)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse("someone@example.test"));
        m.Subject = subject;
        if (messageId is not null) m.MessageId = messageId;
        if (inReplyTo is not null)
        {
            m.InReplyTo = inReplyTo;
            m.References.Add(inReplyTo);
        }
        m.Body = new TextPart("plain") { Text = body };
        return m;
    }

    public static async Task DeliverAsync(TestServer server, string user, params MimeMessage[] messages)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", server.Port("smtp"), SecureSocketOptions.None);
        foreach (var m in messages)
        {
            await smtp.SendAsync(m, MailboxAddress.Parse("sender@remote.test"), [MailboxAddress.Parse(Address(user))]);
        }
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Delivers <paramref name="count"/> small numbered messages over several SMTP
    /// connections at once (so group commit batches them).</summary>
    public static Task DeliverManyAsync(TestServer server, string user, int count, int connections = 10) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(c => DeliverAsync(server, user,
            Enumerable.Range(0, count).Where(i => i % connections == c)
                .Select(i => Message($"Message {i:D4}", $"Body of message {i}.\nSecond line.", messageId: $"<m{i}@remote.test>")).ToArray())));

    public static async Task<ImapClient> ConnectAsync(TestServer server, string user, SecureSocketOptions tls = SecureSocketOptions.None, string listener = "imap")
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", server.Port(listener), tls);
        await client.AuthenticateAsync(Address(user), TestServer.Password);
        return client;
    }
}
