using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Host.Config;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Fleet;

/// <summary>The issue's proof, with real processes on loopback: a console; a current member; a
/// member published with an older build number that a signed test advisory names; and a fourth
/// Vigil that nobody enrolled. Feeds are signed with the maintainers' tool.</summary>
public sealed class FourInstancesTests(Builds builds) : IClassFixture<Builds>, IAsyncLifetime
{
    private const string AdvisoryId = "VSA-TEST-0001";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vigil-fleet-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly List<Node> _nodes = [];
    // Four port offsets 1000 apart from a random base, so parallel runs rarely collide; every port
    // (up to metrics, 9925 + offset) stays below Linux's ephemeral range (32768+), where other
    // tests' port-0 listeners and outgoing connections live.
    private readonly int _base = 11000 + Random.Shared.Next(0, 8) * 1000 + Random.Shared.Next(0, 10) * 10;

    private sealed record Node(string Name, DataDirectory Data, int Offset, string Dll)
    {
        public VigilProcess? Process { get; set; }
        public int Smtp => 25 + Offset;
        public int Submissions => 465 + Offset;
        public int Http => 443 + Offset;
        public int Metrics => 9925 + Offset;
    }

    [Fact]
    public async Task Console_sees_outdated_and_silent_members_and_discovery_finds_the_forgotten_one()
    {
        var feed = await SignedFeedAsync();
        var console = await NodeAsync("console", 0, builds.Current, c => c["fleet"]!["console"] = true, feed);
        var current = await NodeAsync("current", 1, builds.Current, null, feed);
        var older = await NodeAsync("older", 2, builds.Older, null, feed);
        var forgotten = await NodeAsync("forgotten", 3, builds.Current, null, feed);
        await Task.WhenAll(_nodes.Select(StartAsync));

        // Enrollment: one-time tokens from the console, `vigil fleet enroll` on each member.
        foreach (var member in new[] { current, older })
        {
            var token = (await Cli(console, "fleet", "token")).Stdout.Trim();
            var enroll = await Cli(member, "fleet", "enroll", $"https://127.0.0.1:{console.Http}", token);
            Assert.True(enroll.ExitCode == 0, enroll.ToString());
        }
        var reused = await Cli(current, "fleet", "enroll", $"https://127.0.0.1:{console.Http}", (await Cli(console, "fleet", "token")).Stdout.Trim());
        Assert.Equal(0, reused.ExitCode);

        // Both report; the older build is OUTDATED (critical) by the signed advisory.
        var members = await UntilAsync(console, m => m.Count == 2 && m.All(x => x["lastSeen"] is not null) && Flags(m, older).Any(f => f.StartsWith("OUTDATED", StringComparison.Ordinal)));
        Assert.Equal(["OUTDATED(critical)"], Flags(members, older));
        Assert.DoesNotContain(Flags(members, current), f => f.StartsWith("OUTDATED", StringComparison.Ordinal));
        Assert.Contains(AdvisoryId, Member(members, older)["advisories"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(Builds.OlderBuildNumber, Member(members, older)["build"]!["buildNumber"]!.GetValue<int>());
        var table = await Cli(console, "fleet", "status");
        Assert.Equal(2, table.ExitCode);
        Assert.Contains("OUTDATED(critical)", table.Stdout, StringComparison.Ordinal);

        // Outdated is loud on the old build itself: exit code, status, log, metric.
        Assert.Equal(2, (await Cli(older, "advisories", "check")).ExitCode);
        Assert.Equal(0, (await Cli(current, "advisories", "check")).ExitCode);
        var status = await Cli(older, "status");
        Assert.Contains("OUTDATED (critical)", status.Stdout, StringComparison.Ordinal);
        Assert.Contains(older.Process!.Output, l => l.Contains("advisories.outdated", StringComparison.Ordinal) || l.Contains($"this build ({Builds.OlderBuildNumber}) is named by", StringComparison.Ordinal));
        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{older.Metrics}/metrics");
            Assert.Matches("vigil_security_outdated\\{[^}]*severity=\"critical\"[^}]*\\} 1", metrics);
        }

        // A fleet action round trip: check-now, audited on both sides.
        var action = await Cli(console, "fleet", "action", "older.test", "check-now");
        Assert.True(action.ExitCode == 0, action.ToString());
        await UntilAsync(() => File.ReadAllText(Path.Combine(console.Data.Audit, "audit.jsonl")).Contains("fleet.action.result", StringComparison.Ordinal));
        Assert.Contains("fleet.action.done", File.ReadAllText(Path.Combine(older.Data.Audit, "audit.jsonl")), StringComparison.Ordinal);

        // Killing the current member: SILENT within 3 intervals (1 s each), with some slack for a busy machine.
        await current.Process!.KillAsync();
        var killedAt = DateTime.UtcNow;
        members = await UntilAsync(console, m => Flags(m, current).Any(f => f.StartsWith("SILENT", StringComparison.Ordinal)));
        Assert.True(DateTime.UtcNow - killedAt < TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(Flags(members, older), f => f.StartsWith("SILENT", StringComparison.Ordinal));

        // Discovery over 127.0.0.0/29 lists the fourth instance as not enrolled, and nobody else.
        var ports = string.Join(",", _nodes.SelectMany(n => new[] { n.Smtp, n.Submissions, n.Http }));
        var discover = await Cli(console, "fleet", "discover", "127.0.0.0/29", "--ports", ports, "--rate", "200", "--json");
        Assert.Equal(2, discover.ExitCode);
        var found = JsonNode.Parse(discover.Stdout)!.AsArray().Select(e => (Address: e!["address"]!.GetValue<string>(), Port: e["port"]!.GetValue<int>(), Service: e["service"]!.GetValue<string>())).ToArray();
        Assert.Equal(new[] { forgotten.Smtp, forgotten.Submissions, forgotten.Http }.Order(), found.Select(f => f.Port).Order());
        Assert.All(found, f => Assert.Equal("127.0.0.1", f.Address));
        Assert.Equal("smtp", found.Single(f => f.Port == forgotten.Smtp).Service);
        Assert.Equal("smtp+tls", found.Single(f => f.Port == forgotten.Submissions).Service);
        var all = await Cli(console, "fleet", "discover", "127.0.0.0/29", "--ports", ports, "--all");
        Assert.Contains("member older.test", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("this instance", all.Stdout, StringComparison.Ordinal);

        // Discovery refuses a range larger than a /16 unless forced.
        var big = await Cli(console, "fleet", "discover", "10.0.0.0/8");
        Assert.Equal(1, big.ExitCode);
        Assert.Contains("--force", big.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_untrusted_and_replayed_feeds_are_refused_by_the_command_line()
    {
        var feed = await SignedFeedAsync();
        var node = await NodeAsync("solo", 0, builds.Current, null, feed);
        Assert.Equal(0, (await Cli(node, "advisories", "check")).ExitCode);

        var bytes = await File.ReadAllBytesAsync(feed);
        bytes[bytes.Length / 2] ^= 0x01;
        var tampered = Path.Combine(_root, "tampered.json");
        await File.WriteAllBytesAsync(tampered, bytes);
        var flipped = await Cli(node, "advisories", "check", "--source", tampered);
        Assert.Equal(3, flipped.ExitCode);
        Assert.Contains("refused", flipped.Stderr, StringComparison.Ordinal);

        var strangerFeed = await SignedFeedAsync("stranger", serial: 9);
        var unknown = await Cli(node, "advisories", "check", "--source", strangerFeed);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("unknown-key", unknown.Stderr, StringComparison.Ordinal);

        var newer = await SignedFeedAsync(serial: 8);
        Assert.Equal(0, (await Cli(node, "advisories", "check", "--source", newer)).ExitCode);
        var replay = await Cli(node, "advisories", "check", "--source", feed);
        Assert.Equal(3, replay.ExitCode);
        Assert.Contains("rollback", replay.Stderr, StringComparison.Ordinal);

        var audit = await File.ReadAllTextAsync(Path.Combine(node.Data.Audit, "audit.jsonl"));
        Assert.Equal(3, audit.Split('\n').Count(l => l.Contains("\"advisories.feed.refused\"", StringComparison.Ordinal)));
        Assert.Contains("\"advisories.key.trusted\"", audit, StringComparison.Ordinal);
    }

    /// <summary>A feed naming the older build (critical), signed with a key made by the tool.</summary>
    private async Task<string> SignedFeedAsync(string keyName = "feedkey", long serial = 5)
    {
        Directory.CreateDirectory(_root);
        var prefix = Path.Combine(_root, keyName);
        if (!File.Exists(prefix + ".key")) Assert.Equal(0, (await Tool("keygen", "--out", prefix)).ExitCode);
        var payload = new JsonObject
        {
            ["product"] = "vigil",
            ["serial"] = serial,
            ["published"] = "2026-01-15T09:00:00Z",
            ["advisories"] = new JsonArray(new JsonObject
            {
                ["id"] = AdvisoryId,
                ["severity"] = "critical",
                ["affectedFrom"] = Builds.OlderBuildNumber,
                ["affectedTo"] = Builds.OlderBuildNumber,
                ["fixedIn"] = Builds.OlderBuildNumber + 1,
                ["summary"] = "Test advisory naming the older build",
                ["published"] = "2026-01-15T09:00:00Z",
            }),
        };
        var unsigned = Path.Combine(_root, $"{keyName}-{serial}.feed.json");
        await File.WriteAllTextAsync(unsigned, payload.ToJsonString());
        var signed = Path.Combine(_root, $"{keyName}-{serial}.signed.json");
        var sign = await Tool("sign", "--key", prefix + ".key", "--feed", unsigned, "--out", signed);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        return signed;
    }

    private async Task<Node> NodeAsync(string name, int index, string dll, Action<JsonNode>? configure, string feed)
    {
        var offset = _base + index * 1000;
        var node = new Node(name, new DataDirectory(Path.Combine(_root, name)), offset, dll);
        var init = await VigilCli.RunBuildAsync(dll, node.Data.Root, "init", "--hostname", $"{name}.test", "--bind", "127.0.0.1", "--port-offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(init.ExitCode == 0, init.ToString());
        var config = JsonNode.Parse(await File.ReadAllTextAsync(node.Data.ConfigFile))!;
        config["fleet"] = new JsonObject { ["heartbeatSeconds"] = 1 };
        config["advisories"] = new JsonObject { ["source"] = feed };
        foreach (var unused in new[] { "submission", "imap", "imaps", "pop3", "pop3s" }) config["ports"]![unused] = null;
        configure?.Invoke(config);
        await File.WriteAllTextAsync(node.Data.ConfigFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Assert.Equal(0, (await Cli(node, "integrity", "accept-config")).ExitCode); // a hand edit, accepted (else INTEGRITY)
        var trust = await Cli(node, "advisories", "trust", Path.Combine(_root, "feedkey.pub"));
        Assert.True(trust.ExitCode == 0, trust.ToString());
        _nodes.Add(node);
        return node;
    }

    private static async Task StartAsync(Node node) => node.Process = await VigilProcess.StartAsync(node.Data, node.Dll);

    private static Task<ExternalTool.Result> Cli(Node node, params string[] args) => VigilCli.RunBuildAsync(node.Dll, node.Data.Root, args);

    private Task<ExternalTool.Result> Tool(params string[] args) =>
        ExternalTool.RunAsync("dotnet", [builds.AdvisoriesTool, .. args]);

    private static JsonNode Member(JsonArray members, Node node) =>
        members.Single(m => m!["hostname"]!.GetValue<string>() == $"{node.Name}.test")!;

    private static IReadOnlyList<string> Flags(JsonArray members, Node node) =>
        Member(members, node)["flags"]!.AsArray().Select(f => f!["detail"] is { } d ? $"{f["name"]}({d})" : f["name"]!.GetValue<string>()).ToArray();

    private static async Task<JsonArray> UntilAsync(Node console, Func<JsonArray, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonArray? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var status = await Cli(console, "fleet", "status", "--json");
            last = JsonNode.Parse(status.Stdout)!.AsArray();
            if (condition(last)) return last;
            await Task.Delay(300);
        }
        throw new TimeoutException($"fleet status never matched: {last?.ToJsonString()}");
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 30 s");
            await Task.Delay(200);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var n in _nodes)
        {
            if (n.Process is not null) await n.Process.DisposeAsync();
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
