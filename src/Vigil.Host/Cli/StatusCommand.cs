using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Host.Hosting;

namespace Vigil.Host.Cli;

/// <summary><c>vigil status</c>: build, whether the server runs and what it listens on, store counts.
/// Features add their sections (advisories, fleet, lockdown, integrity, backups) in
/// <see cref="Sections"/>.</summary>
public static class StatusCommand
{
    /// <summary>Each section prints its lines and returns false when it reports a problem.</summary>
    public static readonly List<Func<CliContext, CancellationToken, Task<bool>>> Sections =
    [
        BuildSection,
        ServerSection,
        TlsStatusSection.PrintAsync,
        StoreSection,
        DeletedMailStatusSection.PrintAsync,
        LockdownCommands.StatusSection,
        IntegrityCommands.StatusSection,
        IntegrityCommands.JobsSection,
        AdvisoriesCommands.StatusSection,
        FleetCommands.StatusSection,
        BackupStatusSection.PrintAsync,
    ];

    public static Command Create()
    {
        var command = new Command("status", "Show build, listeners and the state of every safety feature");
        command.WithContext(async (ctx, _, ct) =>
        {
            var healthy = true;
            foreach (var section in Sections) healthy &= await section(ctx, ct);
            return healthy ? 0 : 2;
        });
        return command;
    }

    private static Task<bool> BuildSection(CliContext ctx, CancellationToken ct)
    {
        Console.WriteLine($"build      {BuildInfo.Current}");
        Console.WriteLine($"instance   {ctx.Config.InstanceId} ({ctx.Config.Hostname})");
        return Task.FromResult(true);
    }

    private static Task<bool> ServerSection(CliContext ctx, CancellationToken ct)
    {
        var status = ReadRunStatus(ctx.Data);
        if (status is null)
        {
            Console.WriteLine("server     not running");
            return Task.FromResult(true);
        }
        Console.WriteLine($"server     running, pid {status.Pid}, since {status.Started:yyyy-MM-ddTHH:mm:ssZ}");
        foreach (var l in status.Listeners)
        {
            var exposure = System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(l.Address)) ? "loopback" : "public";
            Console.WriteLine($"listener   {l.Name,-12} {l.Protocol,-5} {l.Address}:{l.Port}{(l.ImplicitTls ? " tls" : "")} ({exposure})");
        }
        return Task.FromResult(true);
    }

    private static async Task<bool> StoreSection(CliContext ctx, CancellationToken ct)
    {
        var directory = ctx.Get<IDirectoryStore>();
        var domains = await directory.ListDomainsAsync(ct);
        var accounts = await directory.ListAccountsAsync(null, ct);
        Console.WriteLine($"store      {domains.Count} domain(s), {accounts.Count} account(s), {UserCommands.FormatSize(accounts.Sum(a => a.UsedBytes))} of mail");
        // Text is indexed after delivery (docs/imap.md); a backlog that stays high means the
        // indexer cannot keep up (or is off), and searches index it themselves, more slowly.
        var backlog = await ctx.Get<ITextIndexStore>().CountPendingAsync(ct);
        Console.WriteLine($"index      {(backlog == 0 ? "full-text index up to date" : $"{backlog} message(s) waiting for the full-text index")}");
        return true;
    }

    /// <summary>The server's run/status.json, or null when no live server wrote it.</summary>
    public static RunStatus? ReadRunStatus(DataDirectory data)
    {
        if (!File.Exists(data.StatusFile)) return null;
        var status = JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(data.StatusFile), VigilConfig.Json);
        if (status is null) return null;
        try
        {
            using var p = Process.GetProcessById(status.Pid);
            return p.HasExited ? null : status;
        }
        catch (ArgumentException)
        {
            return null; // stale file from a server that was killed
        }
    }
}
