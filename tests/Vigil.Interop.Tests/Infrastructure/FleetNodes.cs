using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Host.Config;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A console and its members as real `vigil serve` processes on loopback: data
/// directories made by `vigil init` with one-second heartbeats, no advisory feed and only the
/// listeners a fleet test needs, and the console's `vigil fleet status --json` polled until it
/// shows what a test waits for.</summary>
internal static class FleetNodes
{
    /// <summary>A random port offset for a two-node test (member at +50), away from the ranges other fleet tests use.</summary>
    public static int PairOffset(int first) => first + Random.Shared.Next(0, 40) * 100;

    public static async Task<DataDirectory> InitAsync(string work, string name, int offset, Action<JsonNode> configure)
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
        // The test edited vigil.json as an admin would: accept it so the watch does not alert on it.
        var accept = await VigilCli.RunAsync(data.Root, "integrity", "accept-config");
        Assert.True(accept.ExitCode == 0, accept.ToString());
        return data;
    }

    /// <summary>`vigil fleet token` on the console, `vigil fleet enroll` on the member.</summary>
    public static async Task EnrollAsync(DataDirectory console, int consoleOffset, DataDirectory member)
    {
        var token = (await VigilCli.RunAsync(console.Root, "fleet", "token")).Stdout.Trim();
        var enroll = await VigilCli.RunAsync(member.Root, "fleet", "enroll", $"https://127.0.0.1:{443 + consoleOffset}", token);
        Assert.True(enroll.ExitCode == 0, enroll.ToString());
    }

    /// <summary>The flags of the first (only) member.</summary>
    public static IReadOnlyList<string> Flags(JsonArray members) =>
        members.Count == 0 ? [] : members[0]!["flags"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToArray();

    public static async Task<JsonArray> UntilAsync(DataDirectory console, Func<JsonArray, bool> condition)
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
