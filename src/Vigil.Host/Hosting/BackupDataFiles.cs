using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Format;
using Vigil.Security.Keys;

namespace Vigil.Host.Hosting;

/// <summary>What of the data directory a restore point holds besides the database and blobs: the
/// config, the audit log, and (only in encrypted targets) the certificate key and instance secrets.
/// Listed afresh for every run, since the audit log gains segments.</summary>
public static class BackupDataFiles
{
    public static BackupSource Source(IServiceProvider sp, DataDirectory data, VigilConfig config) => new(
        sp.GetRequiredService<IStoreSnapshotter>(),
        sp.GetRequiredService<ISnapshotFiles>(),
        sp.GetRequiredService<IBlobStore>(),
        Path.GetRelativePath(data.Root, data.Database).Replace(Path.DirectorySeparatorChar, '/'),
        () => List(data),
        data.BackupStaging,
        sp.GetRequiredService<InstanceKey>(),
        config.Hostname,
        sp.GetRequiredService<IBlobSweepGuard>());

    public static IReadOnlyList<DataFileSource> List(DataDirectory data)
    {
        var files = new List<DataFileSource> { File(data, DataFileRole.Config, data.ConfigFile) };
        files.AddRange(Under(data, data.Audit, DataFileRole.Audit));
        files.AddRange(Under(data, data.Certs, DataFileRole.Secret));
        files.AddRange(Under(data, data.Secrets, DataFileRole.Secret));
        return files;
    }

    private static IEnumerable<DataFileSource> Under(DataDirectory data, string directory, DataFileRole role) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Select(f => File(data, role, f))
                .Where(f => TargetPaths.IsValidDataPath(f.DataPath)) // skips lock files and anything not ours
                .OrderBy(f => f.DataPath, StringComparer.Ordinal)
            : [];

    private static DataFileSource File(DataDirectory data, DataFileRole role, string path) =>
        new(role, Path.GetRelativePath(data.Root, path).Replace(Path.DirectorySeparatorChar, '/'), path);
}
