using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Storage.Sqlite.Backup;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>A backup made by the CLI while 20 smtplib connections deliver: the restored server is
/// consistent (the database passes SQLite's checks, no message row lacks its blob, every blob file
/// hashes to its name, nothing half-written), and holds every message acknowledged before the
/// backup began and none that arrived after it finished.</summary>
public sealed class BackupUnderLoadTests
{
    [Fact]
    public async Task A_backup_taken_while_20_senders_deliver_restores_a_consistent_server()
    {
        var work = Temp("load");
        try
        {
            await using var server = await TestServer.StartAsync();
            var bob = await server.AddUserAsync("bob");
            var senders = SendAsync(server.Port("smtp"), $"bob@{TestServer.Domain}", WriteMessages(Path.Combine(work, "sent"), 1, 800), connections: 20);
            var before = await WaitForAsync(server, bob, atLeast: 100);
            var target = Path.Combine(work, "target");
            var r = await VigilCli.RunAsync(server.Data.Root, "backup", "create", "--to", target);
            Assert.True(r.ExitCode == 0, r.ToString());
            var after = (await server.InboxAsync(bob)).Count;
            var delivered = await senders;
            Assert.True(delivered.ExitCode == 0, delivered.ToString());
            // Deliveries were still running when the backup started (on a loaded machine the CLI may
            // finish after the senders, so the count at the start is the meaningful guard).
            Assert.True(before < 800, "the senders finished before the backup started; the test proves nothing");
            var point = PointIdOf(r.Stdout);

            var restored = Path.Combine(work, "restored");
            r = await VigilCli.RunAsync(restored, "backup", "restore", point, "--from", target);
            Assert.True(r.ExitCode == 0, r.ToString());

            var db = Path.Combine(restored, "vigil.db");
            Assert.Null(SqliteSnapshotFiles.Instance.CheckIntegrity(db));
            var referenced = SqliteSnapshotFiles.Instance.Describe(db);
            Assert.InRange(referenced.Messages, before, after);
            var blobRoot = Path.Combine(restored, "blobs");
            var files = Directory.EnumerateFiles(blobRoot, "*", SearchOption.AllDirectories).ToList();
            Assert.DoesNotContain(files, f => Path.GetDirectoryName(f) == Path.Combine(blobRoot, "tmp"));
            foreach (var f in files)
            {
                await using var s = File.OpenRead(f);
                Assert.Equal(Path.GetFileName(f), Convert.ToHexStringLower(await SHA256.HashDataAsync(s)));
            }
            var present = files.Select(Path.GetFileName).ToHashSet();
            Assert.All(referenced.Blobs, b => Assert.Contains(b.Hex, present));

            using var host = await StartOnAsync(restored);
            try
            {
                var state = await StateAsync(host.Services, "bob"); // reads every message's blob through the store
                Assert.Equal(referenced.Messages, state.Count);
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            MakeWritableAndDelete(work);
        }
    }

    private static async Task<int> WaitForAsync(TestServer server, Account account, int atLeast)
    {
        for (var i = 0; i < 600; i++)
        {
            var n = (await server.InboxAsync(account)).Count;
            if (n >= atLeast) return n;
            await Task.Delay(50);
        }
        throw new TimeoutException("deliveries did not start");
    }
}
