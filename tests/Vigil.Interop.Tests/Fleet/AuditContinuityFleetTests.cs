using System.Text.Json.Nodes;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Fleet;

/// <summary>Issue 10, item 1, with two real `vigil serve` processes on loopback: the member's
/// heartbeats carry its audit checkpoints; an attacker cuts the member's audit log and its
/// checkpoints back to an earlier, self-consistent state (so `vigil audit verify` on the member
/// passes), and the console flags the member AUDIT-BROKEN, alerts (its audit log and a loopback
/// webhook, which also hears of the member's own alerts), until an admin accepts the log with `vigil fleet accept-audit`; then
/// `vigil fleet action all lockdown` locks every member down.</summary>
public sealed class AuditContinuityFleetTests
{
    [Fact]
    public async Task The_console_flags_a_member_whose_audit_log_was_cut_back()
    {
        var work = Directory.CreateTempSubdirectory("vigil-audit-fleet-").FullName;
        var offset = FleetNodes.PairOffset(36000);
        using var webhook = new WebhookReceiver();
        VigilProcess? console = null, member = null;
        try
        {
            var consoleData = await FleetNodes.InitAsync(work, "console", offset, c =>
            {
                c["fleet"]!["console"] = true;
                c["alerts"] = new JsonObject { ["webhookUrl"] = webhook.Url };
            });
            var memberData = await FleetNodes.InitAsync(work, "member", offset + 50, c => c["audit"] = new JsonObject { ["checkpointEvery"] = 2 });
            console = await VigilProcess.StartAsync(consoleData);
            member = await VigilProcess.StartAsync(memberData);
            await FleetNodes.EnrollAsync(consoleData, offset, memberData);
            foreach (var domain in new[] { "a.test", "b.test", "c.test" })
                Assert.Equal(0, (await VigilCli.RunAsync(memberData.Root, "domain", "add", domain)).ExitCode);

            var log = Path.Combine(memberData.Audit, "audit.jsonl");
            var checkpoints = Path.Combine(memberData.Audit, "checkpoints.jsonl");
            var entries = File.ReadAllLines(log).Length;
            Assert.True(entries >= 5, $"{entries} entries");
            var members = await FleetNodes.UntilAsync(consoleData, m => m.Count == 1 && m[0]!["audit"]?["entries"]?.GetValue<long>() >= entries);
            Assert.DoesNotContain("AUDIT-BROKEN", FleetNodes.Flags(members));
            Assert.True(members[0]!["audit"]!["checkpoint"]!["seq"]!.GetValue<long>() >= 4);

            // A member's own alerts reach the console's webhook too.
            await File.WriteAllTextAsync(Path.Combine(memberData.Root, "a8f3kq.exe"), "MZ");
            var forwarded = await webhook.WaitForAsync("fleet.member_alert", "member.test", TimeSpan.FromSeconds(30));
            Assert.StartsWith("integrity.unexpected_file: a8f3kq.exe", forwarded.GetProperty("detail").GetString(), StringComparison.Ordinal);

            // The attacker keeps the first checkpoint and the two entries under it, holding the
            // writers' lock so the running server cannot append in between.
            using (new FileStream(Path.Combine(memberData.Audit, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                await File.WriteAllLinesAsync(checkpoints, File.ReadAllLines(checkpoints).Take(1));
                await File.WriteAllLinesAsync(log, File.ReadAllLines(log).Take(2));
            }
            var verify = await VigilCli.RunAsync(memberData.Root, "audit", "verify");
            Assert.True(verify.ExitCode == 0, "the member alone cannot tell: " + verify);

            members = await FleetNodes.UntilAsync(consoleData, m => FleetNodes.Flags(m).Contains("AUDIT-BROKEN"));
            Assert.StartsWith("truncated: the audit log went back from", members[0]!["audit"]!["problem"]!.GetValue<string>(), StringComparison.Ordinal);
            var status = await VigilCli.RunAsync(consoleData.Root, "fleet", "status");
            Assert.Equal(2, status.ExitCode);
            Assert.Contains("AUDIT-BROKEN(truncated)", status.Stdout, StringComparison.Ordinal);

            var alert = await webhook.WaitForAsync("fleet.audit_broken", "member.test", TimeSpan.FromSeconds(30));
            Assert.Equal("fleet-console", alert.GetProperty("source").GetString());
            Assert.StartsWith("truncated:", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var audit = await VigilCli.RunAsync(consoleData.Root, "audit", "show", "--action", "alert.fleet.audit_broken");
            Assert.Contains("member.test", audit.Stdout, StringComparison.Ordinal);
            Assert.Contains(console.Output, l => l.Contains("ALERT fleet.audit_broken", StringComparison.Ordinal));

            // The flag holds while the member carries on, until an admin accepts the log as it is.
            await Task.Delay(2500);
            Assert.Contains("AUDIT-BROKEN", FleetNodes.Flags(await FleetNodes.UntilAsync(consoleData, _ => true)));
            var accept = await VigilCli.RunAsync(consoleData.Root, "fleet", "accept-audit", "member.test");
            Assert.True(accept.ExitCode == 0, accept.ToString());
            await FleetNodes.UntilAsync(consoleData, m => !FleetNodes.Flags(m).Contains("AUDIT-BROKEN"));
            Assert.Contains("fleet.member.audit_accepted", (await VigilCli.RunAsync(consoleData.Root, "audit", "show")).Stdout, StringComparison.Ordinal);

            // Containment from the console: one command locks down every member.
            var lockAll = await VigilCli.RunAsync(consoleData.Root, "fleet", "action", "all", "lockdown");
            Assert.True(lockAll.ExitCode == 0, lockAll.ToString());
            Assert.Contains("(lockdown) queued for member.test", lockAll.Stdout, StringComparison.Ordinal);
            await FleetNodes.UntilAsync(consoleData, m => FleetNodes.Flags(m).Contains("LOCKED-DOWN"));
            Assert.Equal(3, (await VigilCli.RunAsync(memberData.Root, "lockdown", "status")).ExitCode);
        }
        finally
        {
            if (member is not null) await member.DisposeAsync();
            if (console is not null) await console.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }
}
