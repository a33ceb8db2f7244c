using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Search;
using Vigil.Core.Model;
using StoredFlags = Vigil.Core.Model.MessageFlags;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>mbsync (isync) keeping a local Maildir and Vigil in step both ways — 1,000 messages,
/// flag changes, deletions and new mail on either side — and mutt reading INBOX in batch mode.</summary>
public sealed class MbsyncAndMuttTests
{
    private const int Count = 1000;

    [Fact]
    public async Task Mbsync_syncs_a_thousand_messages_to_maildir_and_back_with_flag_changes()
    {
        Assert.True(ExternalTool.Exists("mbsync"), "mbsync (isync) is not installed");
        await using var server = await TestServer.StartAsync();
        var account = await server.AddUserAsync("mbsync");
        await DeliverManyAsync(server, "mbsync", Count);
        var work = Directory.CreateTempSubdirectory("vigil-mbsync-").FullName;
        try
        {
            var local = Path.Combine(work, "mail");
            var config = WriteConfig(work, local, server.Port("imap"));

            // 1: everything comes down, byte for byte.
            await SyncAsync(config);
            var inbox = Path.Combine(local, "INBOX");
            var files = MaildirFiles(inbox);
            Assert.Equal(Count, files.Count);
            var stored = await server.InboxAsync(account);
            // mbsync writes Maildir files with LF line ends and adds its X-TUID tracking header;
            // otherwise they are what Vigil stored.
            var byContent = stored.ToDictionary(m => Encoding.UTF8.GetString(server.ReadBlob(m)).Replace("\r\n", "\n", StringComparison.Ordinal), m => m.Uid);
            foreach (var f in files)
            {
                var text = string.Concat(File.ReadAllLines(f).Where(l => !l.StartsWith("X-TUID: ", StringComparison.Ordinal)).Select(l => l + "\n"));
                Assert.True(byContent.ContainsKey(text), $"{f} differs from what Vigil stored");
            }
            foreach (var box in new[] { "Archive", "Drafts", "Junk", "Sent", "Trash" }) Assert.True(Directory.Exists(Path.Combine(local, box)), box);

            // 2: local changes go up: 100 seen, 50 flagged, 20 deleted, one new message.
            var ordered = files.OrderBy(Uid).ToList();
            foreach (var f in ordered.Take(100)) SetFlags(f, "S");
            foreach (var f in ordered.Skip(100).Take(50)) SetFlags(f, "F");
            foreach (var f in ordered.Skip(150).Take(20)) SetFlags(f, "T");
            File.WriteAllText(Path.Combine(inbox, "new", "1700000000.local1.host"), "From: me@example.test\r\nSubject: written locally\r\n\r\nhello\r\n");
            await SyncAsync(config);
            var messages = server.Get<IMessageStore>();
            var inboxBox = (await messages.GetMailboxAsync(account.Id, Mailbox.Inbox, default))!;
            var now = await messages.ListMessagesAsync(account.Id, inboxBox.Id, default);
            Assert.Equal(Count - 20 + 1, now.Count);
            Assert.Equal(100, now.Count(m => m.Flags == StoredFlags.Seen));
            Assert.Equal(50, now.Count(m => m.Flags == StoredFlags.Flagged));
            Assert.Contains(now, m => m.Subject == "written locally");

            // 3: server changes come down: answered, expunged, new mail.
            using (var client = await ConnectAsync(server, "mbsync"))
            {
                await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
                var uids = await client.Inbox.SearchAsync(SearchQuery.All);
                await client.Inbox.AddFlagsAsync(uids.Skip(300).Take(10).ToList(), MailKit.MessageFlags.Answered, silent: true);
                await client.Inbox.AddFlagsAsync(uids.Skip(400).Take(5).ToList(), MailKit.MessageFlags.Deleted, silent: true);
                await client.Inbox.ExpungeAsync();
                await client.DisconnectAsync(true);
            }
            await DeliverAsync(server, "mbsync", Message("late one", "a"), Message("late two", "b"));
            await SyncAsync(config);
            files = MaildirFiles(inbox);
            Assert.Equal(Count - 20 + 1 - 5 + 2, files.Count);
            Assert.Equal(10, files.Count(f => InfoFlags(f).Contains('R', StringComparison.Ordinal)));
            Assert.Equal(100, files.Count(f => InfoFlags(f) == "S"));

            // 4: a further run changes nothing.
            var before = files.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            await SyncAsync(config);
            Assert.Equal(before, MaildirFiles(inbox).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Mutt_reads_inbox_in_batch_mode()
    {
        Assert.True(ExternalTool.Exists("mutt") && ExternalTool.Exists("script"), "mutt and script are needed");
        await using var server = await TestServer.StartAsync();
        var account = await server.AddUserAsync("mutt");
        await DeliverAsync(server, "mutt", Message("first for mutt", "one"), Message("second for mutt", "two"), Message("third for mutt", "three"));
        var work = Directory.CreateTempSubdirectory("vigil-mutt-").FullName;
        try
        {
            var rc = Path.Combine(work, "muttrc");
            var piped = Path.Combine(work, "piped.eml");
            File.WriteAllText(rc, string.Join('\n',
                $"set imap_user=\"{Address("mutt")}\"", $"set imap_pass=\"{TestServer.Password}\"", "set ssl_starttls=no", "set ssl_force_tls=no",
                "set header_cache=\"\"", "set message_cachedir=\"\"", "set mail_check=0", "set timeout=1", "set sort=date-received", "set mark_old=no", ""));
            var url = $"imap://127.0.0.1:{server.Port("imap").ToString(CultureInfo.InvariantCulture)}/INBOX";
            // mutt needs a terminal even in batch mode; script(1) gives it one.
            var command = $"mutt -n -F {rc} -f {url} -e 'push \"<pipe-message>cat > {piped}<enter><exit>\"'";
            var r = await ExternalTool.RunAsync("env", ["TERM=xterm", "script", "-qfec", command, "/dev/null"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.True(r.Stdout.Contains("Msgs:3", StringComparison.Ordinal) && File.Exists(piped), r.ToString());
            var first = (await server.InboxAsync(account)).Single(m => m.Subject == "first for mutt");
            // mutt hands piped messages over with LF line ends.
            Assert.Equal(Encoding.UTF8.GetString(server.ReadBlob(first)).Replace("\r\n", "\n", StringComparison.Ordinal), File.ReadAllText(piped));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string WriteConfig(string work, string local, int port)
    {
        Directory.CreateDirectory(local);
        var path = Path.Combine(work, "mbsyncrc");
        // FSync no: mbsync would otherwise fsync every Maildir file, which is all the time this takes.
        File.WriteAllText(path, $"""
            FSync no

            IMAPAccount vigil
            Host 127.0.0.1
            Port {port.ToString(CultureInfo.InvariantCulture)}
            User {Address("mbsync")}
            Pass {TestServer.Password}
            SSLType None
            AuthMechs PLAIN

            IMAPStore remote
            Account vigil

            MaildirStore local
            Path {local}/
            Inbox {local}/INBOX
            SubFolders Verbatim

            Channel sync
            Far :remote:
            Near :local:
            Patterns *
            Create Both
            Expunge Both
            SyncState *
            Sync All

            """);
        return path;
    }

    private static async Task SyncAsync(string config)
    {
        var r = await ExternalTool.RunAsync("mbsync", ["-c", config, "-a"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    private static List<string> MaildirFiles(string box) =>
        Directory.GetFiles(Path.Combine(box, "cur")).Concat(Directory.GetFiles(Path.Combine(box, "new"))).ToList();

    /// <summary>mbsync names files "...,U=uid:2,FLAGS".</summary>
    private static int Uid(string file)
    {
        var name = Path.GetFileName(file);
        var u = name.IndexOf(",U=", StringComparison.Ordinal);
        var end = name.IndexOf(':', u);
        return int.Parse(name[(u + 3)..end], CultureInfo.InvariantCulture);
    }

    private static string InfoFlags(string file)
    {
        var name = Path.GetFileName(file);
        var i = name.IndexOf(":2,", StringComparison.Ordinal);
        return i < 0 ? "" : name[(i + 3)..];
    }

    /// <summary>Sets Maildir flags the way a mail reader does: rename into cur/ with ":2,FLAGS".</summary>
    private static void SetFlags(string file, string flags)
    {
        var name = Path.GetFileName(file);
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var bare = colon < 0 ? name : name[..colon];
        var box = Path.GetDirectoryName(Path.GetDirectoryName(file))!;
        File.Move(file, Path.Combine(box, "cur", bare + ":2," + flags));
    }
}
