using Microsoft.Extensions.DependencyInjection;
using Vigil.Host.Config;
using Vigil.Ops.Integrity;
using Vigil.Ops.Principals;

namespace Vigil.Host.Hosting;

/// <summary>The integrity watch and the privileged-principal watch in the server, configured from
/// <c>vigil.json</c>; and the list of Vigil's scheduled jobs, which exist only in the config.</summary>
public static class IntegrityHosting
{
    public static IServiceCollection AddVigilIntegrity(this IServiceCollection services, DataDirectory data, VigilConfig config) =>
        services.AddVigilIntegrityWatch(Options(data, config), new PrincipalWatchOptions(TimeSpan.FromSeconds(Math.Max(1, config.Integrity.PrincipalCheckSeconds))), ConfigPrincipals(data, config));

    public static IntegrityOptions Options(DataDirectory data, VigilConfig config)
    {
        var i = config.Integrity;
        var program = string.IsNullOrWhiteSpace(i.ProgramDirectory) ? AppContext.BaseDirectory : VigilServices.Resolve(data, i.ProgramDirectory);
        return new IntegrityOptions(data.Root, Path.GetFullPath(program), data.InstanceKeyFile, TimeSpan.FromSeconds(Math.Max(1, i.ScanIntervalSeconds)),
            i.VerifyBlobsOnScan, Math.Max(2, i.BlobBurstCount), TimeSpan.FromSeconds(Math.Max(1, i.BlobBurstSeconds)));
    }

    /// <summary>Every recurring job Vigil runs, as its config defines it. Nothing else schedules
    /// work in Vigil, so a job an admin did not put here cannot exist, and a changed one (another
    /// backup target, another feed) shows up as new.</summary>
    public static IReadOnlyList<PrivilegedPrincipal> ScheduledJobs(DataDirectory data, VigilConfig config)
    {
        var jobs = new List<PrivilegedPrincipal>
        {
            new(PrivilegedPrincipal.ScheduledJob, $"integrity-scan every {config.Integrity.ScanIntervalSeconds} s"),
        };
        if (config.Advisories.Source is { } feed) jobs.Add(new(PrivilegedPrincipal.ScheduledJob, $"advisory-refresh every {config.Advisories.RefreshMinutes} min from {feed}"));
        if (config.Backup.ResolvedAgainst(data.Root).Target is { } target)
        {
            jobs.Add(new(PrivilegedPrincipal.ScheduledJob, $"backup every {config.Backup.Interval} to {target}"));
            jobs.Add(new(PrivilegedPrincipal.ScheduledJob, $"backup-verify every {config.Backup.VerifyInterval} of {target}"));
        }
        return jobs;
    }

    /// <summary>At <c>vigil init</c>: the jobs the fresh config defines are known from the start, so
    /// the first server start does not report them as new.</summary>
    public static void SeedPrincipalBaseline(DataDirectory data, VigilConfig config) =>
        new PrincipalBaseline(Path.Combine(data.Audit, PrincipalBaseline.FileName)).Save(ConfigPrincipals(data, config).Select(p => p.Id));

    /// <summary>Principals that exist only in the config: scheduled jobs and the keys backups trust.</summary>
    public static IReadOnlyList<PrivilegedPrincipal> ConfigPrincipals(DataDirectory data, VigilConfig config) =>
    [
        .. ScheduledJobs(data, config),
        .. config.Backup.TrustedKeys.Select(k => new PrivilegedPrincipal(PrivilegedPrincipal.TrustedKey, "backup:" + k, $"backups signed by {k[..Math.Min(12, k.Length)]}… are trusted for restore")),
    ];
}
