using System.Text.Json.Nodes;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>Backups as the fleet console sees them (two real processes on loopback): a member
/// whose scheduled backups succeed carries no flag; when its target stops taking points, the
/// console flags it BACKUP-STALE after twice the schedule; when the target works again, the flag goes.</summary>
public sealed class BackupFleetTests
{
    [Fact]
    public async Task The_console_flags_a_member_whose_backups_go_stale_and_clears_it_when_they_resume()
    {
        var work = Temp("fleet");
        var offset = FleetNodes.PairOffset(41000);
        var target = Path.Combine(work, "target");
        VigilProcess? console = null, member = null;
        try
        {
            var consoleData = await FleetNodes.InitAsync(work, "console", offset, c => c["fleet"]!["console"] = true);
            var memberData = await FleetNodes.InitAsync(work, "member", offset + 50, c => c["backup"] = new JsonObject
            {
                ["target"] = target,
                ["interval"] = "00:00:02",
            });
            console = await VigilProcess.StartAsync(consoleData);
            member = await VigilProcess.StartAsync(memberData);
            await FleetNodes.EnrollAsync(consoleData, offset, memberData);

            var members = await FleetNodes.UntilAsync(consoleData, m => m.Count == 1 && m[0]!["lastSeen"] is not null && m[0]!["backup"]?["detail"]?.GetValue<string>().StartsWith("newest point", StringComparison.Ordinal) == true);
            Assert.DoesNotContain("BACKUP-STALE", FleetNodes.Flags(members));
            Assert.False(members[0]!["backup"]!["problem"]!.GetValue<bool>());

            await ExternalTool.RunAsync("chattr", ["+i", Path.Combine(target, "points")]);
            try
            {
                members = await FleetNodes.UntilAsync(consoleData, m => FleetNodes.Flags(m).Contains("BACKUP-STALE"));
                Assert.StartsWith("stale:", members[0]!["backup"]!["detail"]!.GetValue<string>());
            }
            finally
            {
                await ExternalTool.RunAsync("chattr", ["-i", Path.Combine(target, "points")]);
            }
            await FleetNodes.UntilAsync(consoleData, m => !FleetNodes.Flags(m).Contains("BACKUP-STALE"));
        }
        finally
        {
            if (member is not null) await member.DisposeAsync();
            if (console is not null) await console.DisposeAsync();
            MakeWritableAndDelete(work);
        }
    }
}
