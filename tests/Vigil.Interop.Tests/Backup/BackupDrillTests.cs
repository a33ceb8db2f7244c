using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Vigil.Core.Model;
using ImapFlags = MailKit.MessageFlags;
using MessageFlags = Vigil.Core.Model.MessageFlags;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>The issue's drill: 1,000 messages delivered over SMTP by Python's smtplib, filed into
/// folders and flagged over IMAP by MailKit, a backup by the real CLI while the server runs, 100
/// more, a second backup, the data directory destroyed, then each point restored with the CLI into
/// a new directory and served again: each holds exactly its own messages with their folders and
/// flags, and every message fetched back over IMAP is byte-identical to what was stored before (and
/// ends with exactly what smtplib sent).</summary>
public sealed class BackupDrillTests
{
    [Fact]
    public async Task Drill_each_restore_point_holds_exactly_its_messages_with_folders_flags_and_bytes()
    {
        var work = Temp("drill");
        var target = Path.Combine(work, "target");
        var sentFiles = Path.Combine(work, "sent");
        List<StoredMail> atFirst, atSecond;
        Dictionary<string, List<byte[]>> bytesFirst, bytesSecond;
        string first, second, dataRoot;
        try
        {
            await using (var server = await TestServer.StartAsync())
            {
                dataRoot = server.Data.Root;
                await server.AddUserAsync("alice");
                var r = await SendAsync(server.Port("smtp"), $"alice@{TestServer.Domain}", WriteMessages(Path.Combine(sentFiles, "a"), 1, 1000), connections: 4);
                Assert.True(r.ExitCode == 0, r.ToString());
                await FileIntoFoldersOverImapAsync(server.Port("imap"));
                atFirst = await StateAsync(server.Services, "alice");
                Assert.Equal(1000, atFirst.Count);
                Assert.Equal(150, atFirst.Count(m => m.Mailbox == "Archive" && m.Flags == (MessageFlags.Seen | MessageFlags.Flagged) && m.Keywords == "$Project"));
                Assert.Equal(100, atFirst.Count(m => m.Mailbox == "Junk" && m.Flags == MessageFlags.Seen));
                Assert.Equal(75, atFirst.Count(m => m.Mailbox == Mailbox.Inbox && m.Flags == MessageFlags.Answered));
                bytesFirst = await FetchAllOverImapAsync(server.Port("imap"));

                first = await CreateAsync(dataRoot, target);
                r = await SendAsync(server.Port("smtp"), $"alice@{TestServer.Domain}", WriteMessages(Path.Combine(sentFiles, "b"), 1001, 100), connections: 2);
                Assert.True(r.ExitCode == 0, r.ToString());
                atSecond = await StateAsync(server.Services, "alice");
                Assert.Equal(1100, atSecond.Count);
                bytesSecond = await FetchAllOverImapAsync(server.Port("imap"));
                second = await CreateAsync(dataRoot, target);
            }
            Assert.False(Directory.Exists(dataRoot)); // the data directory is gone

            await RestoreAndCompareAsync(work, target, first, atFirst, bytesFirst, sentFiles);
            await RestoreAndCompareAsync(work, target, second, atSecond, bytesSecond, sentFiles);
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
        return PointIdOf(r.Stdout);
    }

    /// <summary>Over IMAP (MailKit): 150 messages moved to Archive and marked \Seen \Flagged
    /// $Project, 100 moved to Junk and marked \Seen, 75 left in INBOX marked \Answered.</summary>
    private static async Task FileIntoFoldersOverImapAsync(int imapPort)
    {
        using var client = await ImapAsync(imapPort);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var all = await inbox.SearchAsync(SearchQuery.All);
        var archive = all.Where(u => u.Id % 10 == 3 || u.Id % 20 == 7).ToList();
        var junk = all.Where(u => u.Id % 10 == 5).ToList();
        var answered = all.Where(u => u.Id % 10 == 1).Take(75).ToList();
        await inbox.AddFlagsAsync(archive, ImapFlags.Seen | ImapFlags.Flagged, new HashSet<string> { "$Project" }, silent: true);
        await inbox.AddFlagsAsync(junk, ImapFlags.Seen, silent: true);
        await inbox.AddFlagsAsync(answered, ImapFlags.Answered, silent: true);
        await inbox.MoveToAsync(archive, await client.GetFolderAsync("Archive"));
        await inbox.MoveToAsync(junk, await client.GetFolderAsync("Junk"));
        await client.DisconnectAsync(true);
    }

    /// <summary>Every message of every folder, fetched as raw octets (BODY.PEEK[]) over IMAP.</summary>
    private static async Task<Dictionary<string, List<byte[]>>> FetchAllOverImapAsync(int imapPort)
    {
        using var client = await ImapAsync(imapPort);
        var result = new Dictionary<string, List<byte[]>>();
        foreach (var folder in await client.GetFoldersAsync(client.PersonalNamespaces[0]))
        {
            await folder.OpenAsync(FolderAccess.ReadOnly);
            var uids = await folder.SearchAsync(SearchQuery.All);
            var bytes = new byte[uids.Count][];
            // One pipelined UID FETCH BODY.PEEK[] for the whole folder.
            if (uids.Count > 0)
            {
                await ((ImapFolder)folder).GetStreamsAsync(uids, async (_, index, _, stream, ct) =>
                {
                    using var ms = new MemoryStream();
                    await stream.CopyToAsync(ms, ct);
                    bytes[index] = ms.ToArray();
                });
            }
            result[folder.FullName] = [.. bytes];
            await folder.CloseAsync();
        }
        await client.DisconnectAsync(true);
        return result;
    }

    private static async Task<ImapClient> ImapAsync(int port)
    {
        var client = new ImapClient { Timeout = 60_000 };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.AuthenticateAsync($"alice@{TestServer.Domain}", TestServer.Password);
        return client;
    }

    private static async Task RestoreAndCompareAsync(string work, string target, string point, List<StoredMail> expected,
        Dictionary<string, List<byte[]>> expectedBytes, string sentFiles)
    {
        var newDir = Path.Combine(work, "restored-" + point);
        var r = await VigilCli.RunAsync(newDir, "backup", "restore", point, "--from", target);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var host = await StartOnAsync(newDir);
        try
        {
            Assert.Equal(expected, await StateAsync(host.Services, "alice"));
            var fetched = await FetchAllOverImapAsync(Port(host.Services, "imap"));
            Assert.Equal(expectedBytes.Keys.Order(), fetched.Keys.Order());
            foreach (var (folder, messages) in expectedBytes)
            {
                Assert.Equal(messages.Count, fetched[folder].Count);
                for (var i = 0; i < messages.Count; i++) Assert.Equal(messages[i], fetched[folder][i]);
            }
            var sent = Directory.GetFiles(sentFiles, "*.eml", SearchOption.AllDirectories).ToDictionary(f => int.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture));
            foreach (var message in fetched.Values.SelectMany(m => m))
            {
                var seq = int.Parse(System.Text.RegularExpressions.Regex.Match(Encoding.ASCII.GetString(message), @"X-Seq: (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
                var original = await File.ReadAllBytesAsync(sent[seq]);
                Assert.True(message.AsSpan().EndsWith(original), $"message {seq} differs from what smtplib sent");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
