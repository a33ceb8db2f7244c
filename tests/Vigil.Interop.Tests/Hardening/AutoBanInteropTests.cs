using System.Text.Json;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>The auto-ban end to end: swaks guesses passwords from one loopback address until it is
/// banned; the ban is enforced at accept, survives a restart, and the real <c>vigil</c> CLI lists
/// and lifts it, while a client on another address is never affected.</summary>
public sealed class AutoBanInteropTests
{
    private static string Vigil => Path.Combine(AppContext.BaseDirectory, "vigil");

    private static Task<ExternalTool.Result> SwaksAsync(TestServer server, string source, string password, bool deliver = false) =>
        ExternalTool.RunAsync("swaks", [
            "--server", "127.0.0.1", "--port", server.Port("submission").ToString(), "--local-interface", source,
            "--ehlo", "client.test", "--auth", "LOGIN", "--auth-user", "bob@example.test", "--auth-password", password,
            "--from", "bob@example.test", "--to", "bob@example.test", "--header", "Subject: from " + source,
            .. deliver ? Array.Empty<string>() : ["--quit-after", "AUTH"]]);

    private static Task<ExternalTool.Result> CliAsync(TestServer server, params string[] args) =>
        ExternalTool.RunAsync(Vigil, [.. args, "--data", server.Data.Root]);

    [Fact]
    public async Task Password_guessing_gets_the_address_banned_across_restart_until_the_admin_lifts_it()
    {
        await using var server = await TestServer.StartAsync(c => c.AutoBan = c.AutoBan with { MaxFailuresPerIp = 3 });
        var bob = await server.AddUserAsync("bob");

        for (var i = 0; i < 3; i++)
        {
            var guess = await SwaksAsync(server, "127.0.0.3", "guess" + i);
            Assert.Contains("535 5.7.8", guess.Stdout, StringComparison.Ordinal);
        }
        var refused = await SwaksAsync(server, "127.0.0.3", TestServer.Password, deliver: true);
        Assert.Contains("421 4.7.0 mail.example.test Access from your address is temporarily blocked", refused.Stdout, StringComparison.Ordinal);

        // Someone else on the same machine is unaffected.
        var other = await SwaksAsync(server, "127.0.0.4", TestServer.Password, deliver: true);
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Single(await server.InboxAsync(bob));

        await server.RestartAsync();
        refused = await SwaksAsync(server, "127.0.0.3", TestServer.Password, deliver: true);
        Assert.Contains("Access from your address is temporarily blocked", refused.Stdout, StringComparison.Ordinal);

        var list = await CliAsync(server, "ban", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"^127\.0\.0\.3/32\tauto#1\tuntil \d{4}-\d\d-\d\dT[\d:]+Z\t3 failed logins within 10 min \(last: smtp as bob@example.test\)$", list.Stdout.Trim());

        var audit = await CliAsync(server, "audit", "show", "--action", "ban.auto");
        Assert.Contains("127.0.0.3/32", audit.Stdout, StringComparison.Ordinal); // an automatic ban is audited too

        var remove = await CliAsync(server, "ban", "remove", "127.0.0.3");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        ExternalTool.Result again = null!;
        for (var i = 0; i < 50; i++)
        {
            again = await SwaksAsync(server, "127.0.0.3", TestServer.Password, deliver: true);
            if (again.ExitCode == 0) break;
            await Task.Delay(100);
        }
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Admin_bans_and_the_allow_list_are_audited_and_enforced()
    {
        await using var server = await TestServer.StartAsync();
        var add = await CliAsync(server, "ban", "add", "127.0.0.6", "--for", "2h", "--reason", "abuse report #12");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.StartsWith("banned 127.0.0.6/32 until ", add.Stdout, StringComparison.Ordinal);
        await AssertRefusedEventuallyAsync(server, "127.0.0.6", refused: true);

        var allow = await CliAsync(server, "ban", "allow", "add", "127.0.0.0/29", "--note", "monitoring");
        Assert.True(allow.ExitCode == 0, allow.ToString());
        await AssertRefusedEventuallyAsync(server, "127.0.0.6", refused: false);
        Assert.Contains("127.0.0.0/29\tadded by", (await CliAsync(server, "ban", "allow", "list")).Stdout, StringComparison.Ordinal);

        var disallow = await CliAsync(server, "ban", "allow", "remove", "127.0.0.0/29");
        Assert.True(disallow.ExitCode == 0, disallow.ToString());
        await AssertRefusedEventuallyAsync(server, "127.0.0.6", refused: true);

        Assert.Equal(1, (await CliAsync(server, "ban", "add", "not-an-ip")).ExitCode);
        Assert.Equal(1, (await CliAsync(server, "ban", "remove", "127.0.0.99")).ExitCode);
        Assert.Equal(1, (await CliAsync(server, "ban", "add", "127.0.0.7", "--for", "forever")).ExitCode);

        var actions = File.ReadAllLines(Path.Combine(server.Data.Audit, "audit.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("ban.", StringComparison.Ordinal))
            .Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("target").GetString()} {e.GetProperty("source").GetString()}")
            .ToList();
        Assert.Equal(["ban.add 127.0.0.6/32 cli", "ban.allow.add 127.0.0.0/29 cli", "ban.allow.remove 127.0.0.0/29 cli"], actions);
    }

    private static async Task AssertRefusedEventuallyAsync(TestServer server, string source, bool refused)
    {
        string? banner = null;
        for (var i = 0; i < 50; i++)
        {
            using var tcp = new System.Net.Sockets.TcpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(source), 0));
            await tcp.ConnectAsync(server.EndPoint("smtp"));
            using var reader = new StreamReader(tcp.GetStream());
            banner = await reader.ReadLineAsync();
            if (banner!.StartsWith("421", StringComparison.Ordinal) == refused) return;
            await Task.Delay(100);
        }
        Assert.Fail($"{source}: expected {(refused ? "refusal" : "greeting")}, got {banner}");
    }
}
