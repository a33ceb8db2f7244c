using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>The issue's drill: 1,000 messages delivered over SMTP by Python's smtplib, some moved
/// into other folders with flags, a backup by the real CLI while the server runs, 100 more, a second
/// backup, the data directory destroyed, then each point restored with the CLI into a new directory
/// and served again: each holds exactly its own messages with their folders and flags, and every
/// message fetched back over POP3 by MailKit is byte-identical to what was stored (and ends with
/// exactly what smtplib sent).
/// Folders and flags are set through the store (append into the folder with flags, expunge from
/// INBOX): IMAP is not on main yet. POP3 sees INBOX; the other folders are compared in the store.</summary>
public sealed class BackupDrillTests
{
    [Fact]
    public async Task Drill_each_restore_point_holds_exactly_its_messages_with_folders_flags_and_bytes()
    {
        var work = Temp("drill");
        var target = Path.Combine(work, "target");
        var sentFiles = Path.Combine(work, "sent");
        List<StoredMail> atFirst, atSecond;
        string first, second, dataRoot;
        try
        {
            await using (var server = await TestServer.StartAsync())
            {
                dataRoot = server.Data.Root;
                var alice = await server.AddUserAsync("alice");
                var r = await SendAsync(server.Port("smtp"), $"alice@{TestServer.Domain}", WriteMessages(Path.Combine(sentFiles, "a"), 1, 1000), connections: 4);
                Assert.True(r.ExitCode == 0, r.ToString());
                await FileIntoFoldersAsync(server, alice);
                atFirst = await StateAsync(server.Services, "alice");
                Assert.Equal(1000, atFirst.Count);
                Assert.Equal(150, atFirst.Count(m => m.Mailbox == "Archive" && m.Flags == (MessageFlags.Seen | MessageFlags.Flagged) && m.Keywords == "$Project"));
                Assert.Equal(100, atFirst.Count(m => m.Mailbox == "Junk" && m.Flags == MessageFlags.Seen));

                first = await CreateAsync(dataRoot, target);
                r = await SendAsync(server.Port("smtp"), $"alice@{TestServer.Domain}", WriteMessages(Path.Combine(sentFiles, "b"), 1001, 100), connections: 2);
                Assert.True(r.ExitCode == 0, r.ToString());
                atSecond = await StateAsync(server.Services, "alice");
                Assert.Equal(1100, atSecond.Count);
                second = await CreateAsync(dataRoot, target);
            }
            Assert.False(Directory.Exists(dataRoot)); // the data directory is gone

            await RestoreAndCompareAsync(work, target, first, atFirst, sentFiles);
            await RestoreAndCompareAsync(work, target, second, atSecond, sentFiles);
        }
        finally
        {
            MakeWritableAndDelete(work);
        }
    }

    private static async Task<string> CreateAsync(string dataRoot, string target)
    {
        var r = await VigilCli.RunAsync(dataRoot, "backup", "create", "--to", target);
        Assert.True(r.ExitCode == 0, r.ToString());
        return System.Text.RegularExpressions.Regex.Match(r.Stdout, @"restore point (\S+) created").Groups[1].Value;
    }

    /// <summary>150 messages into Archive as \Seen \Flagged $Project, 100 into Junk as \Seen.</summary>
    private static async Task FileIntoFoldersAsync(TestServer server, Account alice)
    {
        var store = server.Get<IMessageStore>();
        var inbox = await store.GetMailboxAsync(alice.Id, Mailbox.Inbox, default);
        var all = await store.ListMessagesAsync(alice.Id, inbox!.Id, default);
        async Task MoveAsync(IEnumerable<StoredMessage> messages, string folder, MessageFlags flags, IReadOnlyList<string> keywords)
        {
            var list = messages.ToList();
            await store.AppendAsync(list.Select(m => new NewMessage(alice.Id, folder, m.BlobId, m.Size, m.InternalDate, flags, keywords, m.Subject, null)).ToList(), default);
            await store.ExpungeAsync(alice.Id, inbox.Id, list.Select(m => m.Uid).ToList(), default);
        }
        await MoveAsync(all.Where(m => m.Uid % 10 == 3 || m.Uid % 20 == 7), "Archive", MessageFlags.Seen | MessageFlags.Flagged, ["$Project"]);
        await MoveAsync(all.Where(m => m.Uid % 10 == 5), "Junk", MessageFlags.Seen, []);
    }

    private static async Task RestoreAndCompareAsync(string work, string target, string point, List<StoredMail> expected, string sentFiles)
    {
        var newDir = Path.Combine(work, "restored-" + point);
        var r = await VigilCli.RunAsync(newDir, "backup", "restore", point, "--from", target);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var host = await StartOnAsync(newDir);
        try
        {
            Assert.Equal(expected, await StateAsync(host.Services, "alice"));
            var inbox = expected.Where(m => m.Mailbox == Mailbox.Inbox).ToList();
            var fetched = await FetchInboxAsync(Port(host.Services, "pop3"), $"alice@{TestServer.Domain}", inbox.Count);
            var blobs = host.Services.GetRequiredService<IBlobStore>();
            var account = await host.Services.GetRequiredService<IDirectoryStore>().GetAccountAsync("alice", TestServer.Domain, default);
            var store = host.Services.GetRequiredService<IMessageStore>();
            var box = await store.GetMailboxAsync(account!.Id, Mailbox.Inbox, default);
            var stored = await store.ListMessagesAsync(account.Id, box!.Id, default);
            for (var i = 0; i < stored.Count; i++)
            {
                await using var s = blobs.OpenRead(stored[i].BlobId)!;
                using var ms = new MemoryStream();
                await s.CopyToAsync(ms);
                Assert.Equal(ms.ToArray(), fetched[i]); // POP3 octets == stored octets (each ends in CRLF)
                var seq = System.Text.RegularExpressions.Regex.Match(Encoding.ASCII.GetString(fetched[i]), @"X-Seq: (\d+)").Groups[1].Value;
                var sent = await File.ReadAllBytesAsync(Directory.GetFiles(sentFiles, $"{int.Parse(seq, System.Globalization.CultureInfo.InvariantCulture):D6}.eml", SearchOption.AllDirectories).Single());
                Assert.True(fetched[i].AsSpan().EndsWith(sent), $"message {seq} differs from what smtplib sent");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
