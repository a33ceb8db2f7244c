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
            i.VerifyBlobsOnScan, Math.Max(2, i.BlobBurstCount), TimeSpan.FromSeconds(Math.Max(1, i.BlobBurstSeconds)))
        {
            ManifestKey = ManifestKey(i.ManifestPublicKey),
        };
    }

    /// <summary>The admin's manifest key: base64 of a 32-byte Ed25519 public key, as
    /// <c>vigil integrity manifest</c> prints it. Anything else stops the start, since a key that
    /// silently failed to apply would leave the program unguarded by it.</summary>
    private static byte[]? ManifestKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return null;
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            if (key.Length == 32) return key;
        }
        catch (FormatException)
        {
            // reported below
        }
        throw new UserErrorException("integrity.manifestPublicKey in vigil.json is not a base64 Ed25519 public key (32 bytes)");
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

    /// <summary>Each CA certificate in <c>tls.adminClientCaFile</c>, by fingerprint: another CA (or
    /// another certificate in the same file) is a new way into the admin port, alerted like a new
    /// admin. An unreadable file yields none (the server refuses to start with it anyway).</summary>
    private static IEnumerable<PrivilegedPrincipal> AdminClientAuthorities(DataDirectory data, VigilConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Tls.AdminClientCaFile)) return [];
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(VigilServices.Resolve(data, config.Tls.AdminClientCaFile));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return authorities.Select(ca => new PrivilegedPrincipal(PrivilegedPrincipal.TrustedKey,
            "admin-client-ca:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ca.RawData)),
            $"client certificates issued by {ca.Subject} open the HTTPS admin port")).ToList();
    }

    /// <summary>At <c>vigil init</c>: the jobs the fresh config defines are known from the start, so
    /// the first server start does not report them as new.</summary>
    public static void SeedPrincipalBaseline(DataDirectory data, VigilConfig config) =>
        new PrincipalBaseline(Path.Combine(data.Audit, PrincipalBaseline.FileName)).Save(ConfigPrincipals(data, config).Select(p => p.Id));

    /// <summary>Principals that exist only in the config: scheduled jobs, the keys backups trust,
    /// and the CAs whose client certificates open the HTTPS admin port.</summary>
    public static IReadOnlyList<PrivilegedPrincipal> ConfigPrincipals(DataDirectory data, VigilConfig config) =>
    [
        .. ScheduledJobs(data, config),
        .. AdminClientAuthorities(data, config),
        .. config.Backup.TrustedKeys.Select(k => new PrivilegedPrincipal(PrivilegedPrincipal.TrustedKey, "backup:" + k, $"backups signed by {k[..Math.Min(12, k.Length)]}… are trusted for restore")),
    ];
}
