namespace Vigil.Ops.Integrity;

/// <summary>Where the integrity watch looks and how often (docs/incident-response.md).</summary>
public sealed record IntegrityOptions(
    string DataDirectory,
    string ProgramDirectory,
    string InstanceKeyFile,
    TimeSpan ScanInterval,
    bool VerifyBlobsOnScan,
    int BurstCount,
    TimeSpan BurstWindow)
{
    /// <summary>The manifest key pinned the first time a signed manifest was seen.</summary>
    public string ManifestPinFile => Path.Combine(DataDirectory, "secrets", "program-manifest.pub");

    /// <summary>The manifest key set by the admin (<c>integrity.manifestPublicKey</c>); when set,
    /// it is trusted instead of the pinned one.</summary>
    public byte[]? ManifestKey { get; init; }

    public string ConfigFile => Path.Combine(DataDirectory, "vigil.json");

    public string SealFile => Path.Combine(DataDirectory, ConfigSeal.FileName);

    /// <summary>The last scan's result, read by <c>vigil status</c>.</summary>
    public string StatusFile => Path.Combine(DataDirectory, "run", "integrity.json");
}
