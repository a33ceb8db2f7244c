using Vigil.Core.Storage;
using Vigil.Ops.Alerts;
using Vigil.Security.Keys;

namespace Vigil.Ops.Integrity;

/// <summary>The full check, run at start, every scan interval and by <c>vigil integrity check</c>:
/// the program directory against its signed manifest, every file and folder of the data directory
/// against the layout rule, blob names (and, when asked, blob contents), and the config against
/// its seal. With <paramref name="databaseBlobs"/> (none when null) it also finds messages whose
/// body is gone, and re-hashing covers the bodies the store keeps in its database as well as the
/// blob files.</summary>
public sealed class IntegrityScanner(IntegrityOptions options, IDatabaseBlobs? databaseBlobs = null)
{
    /// <summary>The result of one scan: what was found and how much was looked at.</summary>
    public sealed record Result(IReadOnlyList<IntegrityFinding> Findings, int DataEntries, int ProgramFiles, int BlobsVerified, string ProgramState);

    public ManifestPin Pin { get; } = new(options.ManifestPinFile, options.ManifestKey);

    /// <summary>Cancellable between entries: a scan with <paramref name="verifyBlobs"/> reads all
    /// mail, and must not hold up a shutdown or a CLI interrupted with Ctrl+C.</summary>
    public Result Scan(bool verifyBlobs, CancellationToken ct = default)
    {
        var findings = new List<IntegrityFinding>();
        var (programFindings, programFiles, programState) = ScanProgram();
        findings.AddRange(programFindings);
        var (dataFindings, entries, verified) = ScanData(verifyBlobs, ct: ct);
        findings.AddRange(dataFindings);
        if (databaseBlobs is not null)
        {
            findings.AddRange(BlobCheck.FindMissing(databaseBlobs, options.DataDirectory, ct));
            if (verifyBlobs)
            {
                var (stored, storedVerified) = BlobCheck.VerifyAll(databaseBlobs, ct);
                findings.AddRange(stored);
                verified += storedVerified;
            }
        }
        if (CheckConfig() is { } config) findings.Add(config);
        return new Result(findings, entries, programFiles, verified, programState);
    }

    public (IReadOnlyList<IntegrityFinding> Findings, int Files, string State) ScanProgram()
    {
        var manifest = ProgramManifest.Load(options.ProgramDirectory);
        var pinned = Pin.Load();
        var findings = ProgramCheck.Run(options.ProgramDirectory, manifest, pinned);
        var state = manifest is null
            ? pinned is null ? "no signed manifest: program files are not verified" : "MANIFEST MISSING"
            : $"{manifest.Files.Count} files of build {manifest.Build}, manifest key {manifest.PublicKey[..12]}…{(pinned is null ? " (not pinned yet)" : "")}";
        return (findings, manifest?.Files.Count ?? 0, state);
    }

    public IntegrityFinding? CheckConfig()
    {
        byte[] key;
        try
        {
            using var instance = InstanceKey.Load(options.InstanceKeyFile);
            key = instance.PublicKey;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new IntegrityFinding(AlertKinds.ConfigChanged, "secrets/instance.key", "the instance key is missing, so the config seal cannot be checked");
        }
        return ConfigSeal.Check(options.ConfigFile, options.SealFile, key) is { } problem ? new IntegrityFinding(AlertKinds.ConfigChanged, "vigil.json", problem) : null;
    }

    /// <summary>Walks the data directory (or the folder <paramref name="below"/> in it) without
    /// following links. A folder the layout does not allow is reported once, not file by file.</summary>
    public (IReadOnlyList<IntegrityFinding> Findings, int Entries, int BlobsVerified) ScanData(bool verifyBlobs, string? below = null, CancellationToken ct = default)
    {
        var findings = new List<IntegrityFinding>();
        int entries = 0, verified = 0;
        var pending = new Stack<string>();
        pending.Push(below ?? options.DataDirectory);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList();
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }
            foreach (var entry in children)
            {
                ct.ThrowIfCancellationRequested();
                entries++;
                var relative = DataPath(entry.FullName);
                var finding = CheckEntry(entry, relative);
                if (finding is not null)
                {
                    findings.Add(finding);
                    continue;
                }
                if (entry is DirectoryInfo) pending.Push(entry.FullName);
                else if (verifyBlobs && DataLayout.IsBlob(relative, out var hex))
                {
                    verified++;
                    if (BlobCheck.Verify(entry.FullName, relative, hex) is { } mismatch) findings.Add(mismatch);
                }
            }
        }
        return (findings, entries, verified);
    }

    /// <summary>The layout check for one existing entry.</summary>
    public static IntegrityFinding? CheckEntry(FileSystemInfo entry, string relative)
    {
        if (entry.LinkTarget is not null) return new IntegrityFinding(AlertKinds.UnexpectedFile, relative, "a symbolic link; Vigil never creates one in its data directory");
        var problem = DataLayout.Check(relative, entry is DirectoryInfo);
        return problem is null ? null : new IntegrityFinding(AlertKinds.UnexpectedFile, relative + (entry is DirectoryInfo ? "/" : ""), problem);
    }

    public string DataPath(string fullPath) => Path.GetRelativePath(options.DataDirectory, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
