using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Host.Setup;
using Vigil.Security.Passwords;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Durability;

/// <summary>DESIGN.md "durability first": a 250 means the message is on disk. Kill -9 the server in
/// the middle of a burst of parallel sends; after restart every acknowledged message is there
/// exactly once, and whatever is there is whole.</summary>
public sealed class SigkillDuringDeliveryTests
{
    [Fact]
    public async Task Every_acknowledged_message_survives_sigkill_exactly_once_and_nothing_is_half_written()
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "vigil-kill-" + Guid.NewGuid().ToString("N")[..10]));
        var ports = new ListenerPorts { Smtp = 0, Submission = null, Submissions = null, Imap = null, Imaps = null, Pop3 = null, Pop3s = null, Http = null, Metrics = null };
        var config = DataDirectoryInitializer.Initialize(data, "mail.example.test", "127.0.0.1", 0, ports);
        config.Smtp.MaxConnectionsPerIp = 100;
        config.Save(data);
        await using (var db = SqliteDatabase.Open(data.Database))
        {
            await new SqliteDirectoryStore(db).AddDomainAsync("example.test", default);
            await new AccountService(new SqliteDirectoryStore(db), new Argon2idPasswordHasher(new Argon2Cost(64, 1, 1)))
                .CreateAsync(EmailAddress.Parse("bob@example.test"), "irrelevant-pw", 0, false, default);
        }

        var acked = new ConcurrentDictionary<string, bool>();
        await using (var server = await VigilProcess.StartAsync(data))
        {
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 20).Select(s => SendUntilRefusedAsync(server.Port("smtp"), s, acked, stop.Token)).ToList();
            // Kill once a good number of messages were acknowledged, while the rest are in flight.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acked.Count < 60 && DateTime.UtcNow < deadline) await Task.Delay(20);
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.True(acked.Count >= 60, $"only {acked.Count} messages were acknowledged before the kill");

        // Restart: the store opens cleanly and the server starts again on the same data.
        await using (var again = await VigilProcess.StartAsync(data)) { }

        await using var reopened = SqliteDatabase.Open(data.Database);
        var directory = new SqliteDirectoryStore(reopened);
        var messages = new SqliteMessageStore(reopened);
        var blobs = new InlineBlobStore(new FileBlobStore(data.Blobs), reopened);
        var bob = (await directory.GetAccountAsync("bob", "example.test", default))!;
        var inbox = (await messages.GetMailboxAsync(bob.Id, Mailbox.Inbox, default))!;
        var stored = await messages.ListMessagesAsync(bob.Id, inbox.Id, default);

        var bySubject = stored.GroupBy(m => m.Subject ?? "").ToDictionary(g => g.Key, g => g.Count());
        foreach (var id in acked.Keys) Assert.True(bySubject.GetValueOrDefault(id) == 1, $"{id} was acknowledged but stored {bySubject.GetValueOrDefault(id)} times");
        foreach (var m in stored)
        {
            using var s = blobs.OpenRead(m.BlobId);
            Assert.NotNull(s);
            var bytes = new byte[m.Size];
            s!.ReadExactly(bytes);
            Assert.Equal(m.BlobId, BlobId.FromHash(SHA256.HashData(bytes)));
            Assert.Contains($"END-OF-{m.Subject}", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data.Blobs, "tmp"))); // restart swept partial writes
        Directory.Delete(data.Root, recursive: true);
    }

    private static async Task SendUntilRefusedAsync(int port, int sender, ConcurrentDictionary<string, bool> acked, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested && i < 500; i++)
        {
            var id = $"s{sender}-m{i}";
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("load@remote.test"));
            message.To.Add(MailboxAddress.Parse("bob@example.test"));
            message.Subject = id;
            message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat($"{id} payload line\n", 200)) + $"END-OF-{id}\n" };
            try
            {
                using var client = new SmtpClient { Timeout = 10_000 };
                await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, stop);
                await client.SendAsync(message, stop);
                acked[id] = true; // SendAsync returned: the server said 250
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // This message was not acknowledged (no 250 came: the server is gone, or a loaded
                // machine kept it past the client's 10 s). After the kill the sender stops; before
                // it, it goes on with the next message, so a slow moment cannot end every sender
                // before enough were acknowledged (a run under two test suites at once saw 20).
                if (stop.IsCancellationRequested) return;
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
