using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Security.Audit;

namespace Vigil.Interop.Tests.Integrity;

/// <summary><c>vigil audit show|verify</c> run as separate processes against a data directory the
/// CLI and a server both wrote to.</summary>
public sealed class AuditCliTests : IDisposable
{
    private readonly DataDirectory _data = TestServer.InitializeData().Data;

    public void Dispose()
    {
        try { Directory.Delete(_data.Root, recursive: true); } catch (IOException) { }
    }

    private async Task<string> CliAsync(int expectedExit, params string[] args)
    {
        var r = await VigilCli.RunAsync(_data.Root, args);
        Assert.True(r.ExitCode == expectedExit, r.ToString());
        return r.Stdout;
    }

    [Fact]
    public async Task Show_filters_and_verify_counts_then_names_an_edited_entry()
    {
        await CliAsync(0, "domain", "add", "example.test");
        await CliAsync(0, "user", "add", "alice@example.test");
        await CliAsync(0, "user", "add", "--admin", "root@example.test");

        var all = await CliAsync(0, "audit", "show");
        Assert.Equal(3, all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var users = await CliAsync(0, "audit", "show", "--action", "user.");
        Assert.Contains("alice@example.test", users, StringComparison.Ordinal);
        Assert.DoesNotContain("root@example.test", users, StringComparison.Ordinal);
        var json = await CliAsync(0, "audit", "show", "--json", "--action", "admin.add", "--since", "1h");
        Assert.StartsWith("{\"seq\":3,", json, StringComparison.Ordinal);
        Assert.Equal("", await CliAsync(0, "audit", "show", "--actor", "nobody-at-all"));
        Assert.Equal("", await CliAsync(0, "audit", "show", "--since", "2999-01-01"));
        await CliAsync(1, "audit", "show", "--since", "last tuesday");

        Assert.Contains("OK: 3 entries checked", await CliAsync(0, "audit", "verify"), StringComparison.Ordinal);

        var path = Path.Combine(_data.Audit, AuditFiles.ActiveName);
        var lines = await File.ReadAllLinesAsync(path);
        lines[1] = lines[1].Replace("alice@", "mallory@", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(path, lines);
        var broken = await CliAsync(2, "audit", "verify");
        Assert.Contains("BROKEN at entry 2 (audit.jsonl line 2)", broken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_signs_a_checkpoint_at_shutdown_that_catches_a_truncated_tail()
    {
        await CliAsync(0, "domain", "add", "example.test");
        await CliAsync(0, "domain", "add", "example.org");
        using (var host = VigilServer.Build(_data, VigilConfig.Load(_data), l => l.SetMinimumLevel(LogLevel.Warning)))
        {
            await host.StartAsync();
            await host.StopAsync();
        }
        Assert.Contains("OK: 2 entries checked, 1 signed checkpoint(s)", await CliAsync(0, "audit", "verify"), StringComparison.Ordinal);

        var path = Path.Combine(_data.Audit, AuditFiles.ActiveName);
        await File.WriteAllLinesAsync(path, (await File.ReadAllLinesAsync(path)).Take(1));
        var broken = await CliAsync(2, "audit", "verify");
        Assert.Contains("BROKEN at entry 2", broken, StringComparison.Ordinal);
        Assert.Contains("tail truncated", broken, StringComparison.Ordinal);
    }
}
