using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Backup;

/// <summary>One account's mail restored by the CLI into folders of the running server while
/// MailKit IMAP clients are connected: an IDLE session on the target folder is told of the new
/// messages at once, the live folders stay exactly as they were, flags come back, the bytes are
/// those that were backed up, and running the same restore again adds nothing twice.</summary>
public sealed class MailboxRestoreTests
{
    [Fact]
    public async Task A_mailbox_restored_into_a_live_server_wakes_idle_and_touches_nothing_else()
    {
        var work = Temp("mailbox");
        try
        {
            await using var server = await TestServer.StartAsync();
            await server.AddUserAsync("ivy");
            await DeliverAsync(server, "ivy", Enumerable.Range(1, 20).Select(i => Message($"note {i}", $"body of note {i}")).ToArray());
            using var user = await ConnectAsync(server, "ivy");
            var inbox = user.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            var projects = await (await user.GetFolderAsync(user.PersonalNamespaces[0].Path)).CreateAsync("Projects", isMessageFolder: true)
                ?? throw new InvalidOperationException("CREATE Projects failed");
            var all = await inbox.SearchAsync(SearchQuery.All);
            await inbox.AddFlagsAsync(all.Take(5).ToList(), MessageFlags.Flagged, silent: true);
            await inbox.MoveToAsync(all.Take(5).ToList(), projects);
            await inbox.AddFlagsAsync(all.Skip(5).Take(3).ToList(), MessageFlags.Seen | MessageFlags.Answered, silent: true);
            var original = await RawAsync(inbox);
            Assert.Equal(15, original.Count);

            var target = Path.Combine(work, "target");
            var r = await VigilCli.RunAsync(server.Data.Root, "backup", "create", "--to", target);
            Assert.True(r.ExitCode == 0, r.ToString());
            var point = PointIdOf(r.Stdout);

            // The incident: the inbox is emptied.
            await inbox.AddFlagsAsync(await inbox.SearchAsync(SearchQuery.All), MessageFlags.Deleted, silent: true);
            await inbox.ExpungeAsync();
            Assert.Equal(0, inbox.Count);

            // A second client waits in IDLE on the folder the mail will come back into.
            var restoredFolder = await (await user.GetFolderAsync(user.PersonalNamespaces[0].Path)).CreateAsync("Restored", isMessageFolder: true)
                ?? throw new InvalidOperationException("CREATE Restored failed");
            using var watcher = await ConnectAsync(server, "ivy");
            var watched = await watcher.GetFolderAsync("Restored");
            await watched.OpenAsync(FolderAccess.ReadOnly);
            var arrived = new SemaphoreSlim(0);
            watched.CountChanged += (_, _) => arrived.Release();
            using var stopIdle = new CancellationTokenSource();
            var idle = watcher.IdleAsync(stopIdle.Token);

            r = await VigilCli.RunAsync(server.Data.Root, "backup", "restore", point, "--from", target, "--account", Address("ivy"), "--mailbox", "INBOX", "--into", "Restored");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("restored 15 message(s)", r.Stdout);
            Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(10)), "the IDLE session was not told of the restored mail");
            for (var i = 0; i < 50 && watched.Count < 15; i++) await arrived.WaitAsync(TimeSpan.FromMilliseconds(100));
            Assert.Equal(15, watched.Count);
            stopIdle.Cancel();
            await idle;

            // Byte-identical, flags back, live folders untouched.
            await restoredFolder.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(original.Select(m => Convert.ToHexString(m.Bytes)).Order(), (await RawAsync(restoredFolder)).Select(m => Convert.ToHexString(m.Bytes)).Order());
            var summaries = await restoredFolder.FetchAsync(0, -1, MessageSummaryItems.Flags);
            Assert.Equal(3, summaries.Count(s => s.Flags!.Value.HasFlag(MessageFlags.Seen | MessageFlags.Answered)));
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(0, inbox.Count);
            await projects.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(5, projects.Count);

            // Every mailbox of the account, into its own tree; then the same again adds nothing.
            r = await VigilCli.RunAsync(server.Data.Root, "backup", "restore", point, "--from", target, "--account", Address("ivy"), "--into", "Recovered");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("restored 20 message(s)", r.Stdout);
            r = await VigilCli.RunAsync(server.Data.Root, "backup", "restore", point, "--from", target, "--account", Address("ivy"), "--into", "Recovered");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("restored 0 message(s)", r.Stdout);
            Assert.Contains("20 were already there", r.Stdout);
            var recoveredProjects = await user.GetFolderAsync("Recovered/Projects");
            await recoveredProjects.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(5, recoveredProjects.Count);
            Assert.All(await recoveredProjects.FetchAsync(0, -1, MessageSummaryItems.Flags), s => Assert.True(s.Flags!.Value.HasFlag(MessageFlags.Flagged)));
            var recoveredInbox = await user.GetFolderAsync("Recovered/INBOX");
            await recoveredInbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(15, recoveredInbox.Count);

            var audit = await VigilCli.RunAsync(server.Data.Root, "audit", "show", "--action", "backup.restore-mailbox");
            Assert.Contains(Address("ivy"), audit.Stdout);
            await watcher.DisconnectAsync(true);
            await user.DisconnectAsync(true);
        }
        finally
        {
            MakeWritableAndDelete(work);
        }
    }

    [Fact]
    public async Task A_mailbox_restore_refuses_a_point_that_does_not_verify_and_changes_nothing()
    {
        var work = Temp("mailbox-bad");
        try
        {
            await using var server = await TestServer.StartAsync();
            await server.AddUserAsync("jay");
            await DeliverAsync(server, "jay", Message("a", "1"), Message("b", "2"));
            var target = Path.Combine(work, "target");
            var r = await VigilCli.RunAsync(server.Data.Root, "backup", "create", "--to", target);
            var point = PointIdOf(r.Stdout);
            var blob = Directory.EnumerateFiles(Path.Combine(target, "blobs"), "*", SearchOption.AllDirectories).First();
            File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.AppendAllTextAsync(blob, "tampered");

            r = await VigilCli.RunAsync(server.Data.Root, "backup", "restore", point, "--from", target, "--account", Address("jay"), "--into", "Restored");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("blobs/", r.Stderr);
            using var client = await ConnectAsync(server, "jay");
            Assert.DoesNotContain(await client.GetFoldersAsync(client.PersonalNamespaces[0]), f => f.FullName.StartsWith("Restored", StringComparison.Ordinal));
            await client.DisconnectAsync(true);
        }
        finally
        {
            MakeWritableAndDelete(work);
        }
    }

    private static async Task<List<(uint Uid, byte[] Bytes)>> RawAsync(IMailFolder folder)
    {
        var list = new List<(uint, byte[])>();
        foreach (var uid in await folder.SearchAsync(SearchQuery.All))
        {
            await using var s = await folder.GetStreamAsync(uid, string.Empty);
            using var ms = new MemoryStream();
            await s.CopyToAsync(ms);
            list.Add((uid.Id, ms.ToArray()));
        }
        return list;
    }
}
