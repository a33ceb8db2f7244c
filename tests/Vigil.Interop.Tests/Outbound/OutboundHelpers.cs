using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>What the outbound tests share: submitting with MailKit, waiting for the queue, reading
/// a user's INBOX.</summary>
public static class OutboundHelpers
{
    public static MimeMessage Message(string from, string to, string subject) =>
        new([MailboxAddress.Parse(from)], [MailboxAddress.Parse(to)], subject, new TextPart("plain") { Text = "hello from Vigil's outbound queue" });

    /// <summary>Submits on port 587 with STARTTLS and AUTH, as a mail client does.</summary>
    public static async Task SubmitAsync(TestServer server, string user, MimeMessage message, Func<SmtpClient, Task>? beforeSend = null)
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", server.Port("submission"), SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(user, TestServer.Password);
        if (beforeSend is not null) await beforeSend(client);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, int seconds = 20) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    /// <summary>The messages in the user's INBOX, as raw text.</summary>
    public static async Task<IReadOnlyList<string>> InboxTextsAsync(TestServer server, Account account) =>
        (await server.InboxAsync(account)).Select(m => Encoding.UTF8.GetString(server.ReadBlob(m))).ToList();

    /// <summary>Runs the Python DSN reader on a stored message; returns its output.</summary>
    public static async Task<string> ReadDsnWithPythonAsync(string rawMessage)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, rawMessage);
            var r = await ExternalTool.RunAsync("/usr/bin/python3", [Python("dsn_check.py"), file]);
            Assert.True(r.ExitCode == 0, "Python does not read it as a multipart/report DSN: " + r);
            return r.Stdout;
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static string Python(string script) => Path.Combine(AppContext.BaseDirectory, "python", script);
}
