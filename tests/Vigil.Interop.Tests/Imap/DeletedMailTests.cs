using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Model;
using Vigil.Host.Hosting;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Storage.Sqlite;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Deleted mail is really deleted (docs/storage.md, "Deleted mail"): messages appended and
/// expunged with MailKit's ImapClient, a client we did not write, leave neither the body file nor
/// the database row behind once the grace period is over; the same content appended again reads
/// back byte for byte; <c>vigil status</c> tells the admin.</summary>
public sealed class DeletedMailTests
{
    private static Task<TestServer> StartAsync(int graceSeconds, int intervalSeconds) => TestServer.StartAsync(c =>
    {
        c.Storage.DeletedBodyGraceSeconds = graceSeconds;
        c.Storage.SweepIntervalSeconds = intervalSeconds;
    });

    private static MimeMessage Large() => Message("large report", string.Concat(Enumerable.Range(0, 1200).Select(i => $"line {i} of a report bigger than 32 KB\n")));

    private static MimeMessage Small() => Message("small note", "see you at nine");

    private static async Task<(uint Large, uint Small)> AppendBothAsync(ImapClient client, MimeMessage large, MimeMessage small)
    {
        var uids = await client.Inbox.AppendAsync([new AppendRequest(large), new AppendRequest(small)]);
        return (uids[0].Id, uids[1].Id);
    }

    private static long InlineRows(TestServer server, BlobId blob)
    {
        using var c = server.Get<SqliteDatabase>().Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM blob_inline WHERE id = $b";
        cmd.Parameters.AddWithValue("$b", blob.Hex);
        return (long)cmd.ExecuteScalar()!;
    }

    private static string FileOf(TestServer server, BlobId blob) => Path.Combine(server.Data.Blobs, blob.Hex[..2], blob.Hex);

    private static async Task ExpungeAllAsync(ImapClient client)
    {
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.Inbox.AddFlagsAsync(UniqueIdRange.All, MailKit.MessageFlags.Deleted, silent: true);
        await client.Inbox.ExpungeAsync();
        Assert.Equal(0, client.Inbox.Count);
    }

    [Fact]
    public async Task Expunged_bodies_are_deleted_from_disk_and_the_same_content_appended_again_reads_back_byte_for_byte()
    {
        await using var server = await StartAsync(graceSeconds: 0, intervalSeconds: 3600); // swept by hand below
        var bob = await server.AddUserAsync("bob");
        using var client = await ConnectAsync(server, "bob");
        var (large, small) = (Large(), Small());
        await AppendBothAsync(client, large, small);
        var stored = await server.InboxAsync(bob);
        var (largeBlob, smallBlob) = (stored[0].BlobId, stored[1].BlobId);
        var (largeBytes, smallBytes) = (server.ReadBlob(stored[0]), server.ReadBlob(stored[1]));
        Assert.True(largeBytes.Length > 32 * 1024);
        Assert.True(File.Exists(FileOf(server, largeBlob)));
        Assert.Equal(1, InlineRows(server, smallBlob));

        await ExpungeAllAsync(client);
        var round = await server.Get<BlobSweepService>().SweepNowAsync(CancellationToken.None);
        Assert.Equal(2, round.Deleted);
        Assert.Equal(largeBytes.Length + smallBytes.Length, round.Bytes);
        Assert.False(File.Exists(FileOf(server, largeBlob)));
        Assert.Equal(0, InlineRows(server, smallBlob));

        // The same content again: stored anew, not found half-deleted.
        var (largeUid, smallUid) = await AppendBothAsync(client, large, small);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        foreach (var (uid, expected) in new[] { (largeUid, largeBytes), (smallUid, smallBytes) })
        {
            await using var body = await client.Inbox.GetStreamAsync(new UniqueId(uid), "");
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy);
            Assert.Equal(expected, copy.ToArray());
        }
        var again = await server.InboxAsync(bob);
        Assert.Equal([largeBlob, smallBlob], again.Select(m => m.BlobId));
        Assert.True(File.Exists(FileOf(server, largeBlob)));
        Assert.Equal(1, InlineRows(server, smallBlob));
        await client.DisconnectAsync(true);

        var status = await VigilCli.RunAsync(server.Data.Root, "status");
        Assert.Contains("deleted    no bodies of deleted mail waiting; deleted 0 s after release; 2 deleted so far (", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pop3_session_retrieving_a_message_expunged_and_swept_since_it_logged_in_gets_an_error_and_carries_on()
    {
        await using var server = await StartAsync(graceSeconds: 0, intervalSeconds: 3600);
        await server.AddUserAsync("bob");
        await DeliverAsync(server, "bob", Message("first", "one"), Message("second", "two"));
        using var pop = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await pop.ConnectAsync("127.0.0.1", server.Port("pop3s"), SecureSocketOptions.SslOnConnect);
        await pop.AuthenticateAsync(Address("bob"), TestServer.Password);
        Assert.Equal(2, pop.Count); // the maildrop as of login (RFC 1939 §8)

        // Another session (IMAP) expunges the first message; its body is deleted once the grace period is over.
        using (var imap = await ConnectAsync(server, "bob"))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await imap.Inbox.AddFlagsAsync(new UniqueId(1), MailKit.MessageFlags.Deleted, silent: true);
            await imap.Inbox.ExpungeAsync();
        }
        Assert.Equal(1, (await server.Get<BlobSweepService>().SweepNowAsync(CancellationToken.None)).Deleted);

        var error = await Assert.ThrowsAsync<Pop3CommandException>(() => pop.GetMessageAsync(0));
        Assert.Contains("removed by another session", error.StatusText, StringComparison.Ordinal);
        Assert.Equal("second", (await pop.GetMessageAsync(1)).Subject); // the session carries on
        await pop.DisconnectAsync(true);
    }

    [Fact]
    public async Task The_server_deletes_expunged_bodies_on_its_own_after_the_grace_period()
    {
        await using var server = await StartAsync(graceSeconds: 1, intervalSeconds: 1);
        var bob = await server.AddUserAsync("bob");
        using var client = await ConnectAsync(server, "bob");
        await AppendBothAsync(client, Large(), Small());
        var stored = await server.InboxAsync(bob);
        await ExpungeAllAsync(client);
        await client.DisconnectAsync(true);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((File.Exists(FileOf(server, stored[0].BlobId)) || InlineRows(server, stored[1].BlobId) > 0) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.False(File.Exists(FileOf(server, stored[0].BlobId)));
        Assert.Equal(0, InlineRows(server, stored[1].BlobId));
    }
}
