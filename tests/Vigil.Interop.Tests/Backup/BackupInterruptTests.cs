using System.Diagnostics;
using System.Security.Cryptography;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>Ctrl-C (SIGINT) in the middle of <c>vigil backup create</c>: the command stops
/// cleanly with exit 130 and a hint; the blobs it had copied stay, and the next run copies only
/// the rest and makes a point that verifies.</summary>
public sealed class BackupInterruptTests
{
    [Fact]
    public async Task An_interrupted_backup_resumes_where_it_stopped()
    {
        var work = Temp("interrupt");
        try
        {
            await using var server = await TestServer.StartAsync(c => c.Backup = c.Backup with { Parallelism = 1 });
            var account = await server.AddUserAsync("kim");
            // Many blobs, so the copy lasts long enough to interrupt on a quiet machine too (600 of
            // 256 KB took 0.5 s there); the cost of a copy is mostly per file.
            const int count = 3000;
            var batch = new List<NewMessage>();
            for (var i = 0; i < count; i++)
            {
                // Incompressible bodies, so compression does not shorten the copy.
                var body = RandomNumberGenerator.GetBytes(32 * 1024);
                await using var w = server.Get<IBlobStore>().CreateWriter();
                await w.WriteAsync(body, default);
                var id = await w.CommitAsync(default);
                batch.Add(new NewMessage(account.Id, Mailbox.Inbox, id, body.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], "big", null));
            }
            await server.Get<IMessageStore>().AppendAsync(batch, default);

            var target = Path.Combine(work, "target");
            var blobs = Path.Combine(target, "blobs");
            // env(1) resets SIGINT to its default: a suite run in the background passes it down ignored.
            var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "vigil.dll"), "--data", server.Data.Root, "backup", "create", "--to", target }) psi.ArgumentList.Add(a);
            using var cli = Process.Start(psi)!;
            var stderr = cli.StandardError.ReadToEndAsync();
            var stdout = cli.StandardOutput.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            // Polled on a dedicated thread with blocking waits: on a loaded machine the thread pool
            // can lag by seconds, longer than the whole copy.
            var interrupted = await Task.Factory.StartNew(() =>
            {
                while (Copied(blobs) < 5)
                {
                    if (cli.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60)) return false;
                    Thread.Sleep(5);
                }
                // kill(2) directly: spawning kill(1) on a loaded machine took longer than the copy.
                return Kill(cli.Id, SigInt) == 0;
            }, TaskCreationOptions.LongRunning);
            Assert.True(interrupted, "the backup finished before it could be interrupted: " + await stdout);
            await cli.WaitForExitAsync();
            Assert.True(cli.ExitCode == 130, $"exit {cli.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.Contains("interrupted", await stderr);
            var copied = Copied(blobs);
            Assert.InRange(copied, 5, count - 1);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(target, ".incoming")));

            var again = await VigilCli.RunAsync(server.Data.Root, "backup", "create", "--to", target);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"new: {count - copied:N0} blobs"), again.Stdout);
            var verify = await VigilCli.RunAsync(server.Data.Root, "backup", "verify", "--from", target);
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }
        finally
        {
            MakeWritableAndDelete(work);
        }
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int Copied(string blobs) => Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count() : 0;
}
