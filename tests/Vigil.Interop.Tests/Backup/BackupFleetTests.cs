using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Host.Config;
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
        var offset = 41000 + Random.Shared.Next(0, 40) * 100;
        var target = Path.Combine(work, "target");
        VigilProcess? console = null, member = null;
        try
        {
            var consoleData = await NodeAsync(work, "console", offset, c => c["fleet"]!["console"] = true);
            var memberData = await NodeAsync(work, "member", offset + 50, c => c["backup"] = new JsonObject
            {
                ["target"] = target,
                ["interval"] = "00:00:02",
            });
            console = await VigilProcess.StartAsync(consoleData);
            member = await VigilProcess.StartAsync(memberData);
            var token = (await VigilCli.RunAsync(consoleData.Root, "fleet", "token")).Stdout.Trim();
            var enroll = await VigilCli.RunAsync(memberData.Root, "fleet", "enroll", $"https://127.0.0.1:{443 + offset}", token);
            Assert.True(enroll.ExitCode == 0, enroll.ToString());

            var members = await UntilAsync(consoleData, m => m.Count == 1 && m[0]!["lastSeen"] is not null && m[0]!["backup"]?["detail"]?.GetValue<string>().StartsWith("newest point", StringComparison.Ordinal) == true);
            Assert.DoesNotContain("BACKUP-STALE", Flags(members));
            Assert.False(members[0]!["backup"]!["problem"]!.GetValue<bool>());

            await ExternalTool.RunAsync("chattr", ["+i", Path.Combine(target, "points")]);
            try
            {
                members = await UntilAsync(consoleData, m => Flags(m).Contains("BACKUP-STALE"));
                Assert.StartsWith("stale:", members[0]!["backup"]!["detail"]!.GetValue<string>());
            }
            finally
            {
                await ExternalTool.RunAsync("chattr", ["-i", Path.Combine(target, "points")]);
            }
            await UntilAsync(consoleData, m => !Flags(m).Contains("BACKUP-STALE"));
        }
        finally
        {
            if (member is not null) await member.DisposeAsync();
            if (console is not null) await console.DisposeAsync();
            MakeWritableAndDelete(work);
        }
    }

    private static async Task<DataDirectory> NodeAsync(string work, string name, int offset, Action<JsonNode> configure)
    {
        var data = new DataDirectory(Path.Combine(work, name));
        var init = await VigilCli.RunAsync(data.Root, "init", "--hostname", $"{name}.test", "--bind", "127.0.0.1", "--port-offset", offset.ToString(CultureInfo.InvariantCulture));
        Assert.True(init.ExitCode == 0, init.ToString());
        var config = JsonNode.Parse(await File.ReadAllTextAsync(data.ConfigFile))!;
        config["fleet"] = new JsonObject { ["heartbeatSeconds"] = 1 };
        config["advisories"] = new JsonObject { ["source"] = null };
        foreach (var unused in new[] { "submission", "submissions", "imap", "imaps", "pop3", "pop3s", "metrics" }) config["ports"]![unused] = null;
        configure(config);
        await File.WriteAllTextAsync(data.ConfigFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return data;
    }

    private static IReadOnlyList<string> Flags(JsonArray members) =>
        members.Count == 0 ? [] : members[0]!["flags"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToArray();

    private static async Task<JsonArray> UntilAsync(DataDirectory console, Func<JsonArray, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        JsonArray? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var status = await VigilCli.RunAsync(console.Root, "fleet", "status", "--json");
            last = JsonNode.Parse(status.Stdout)!.AsArray();
            if (condition(last)) return last;
            await Task.Delay(500);
        }
        throw new TimeoutException($"fleet status never matched: {last?.ToJsonString()}");
    }
}
