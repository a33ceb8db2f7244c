namespace Vigil.Host.Config;

/// <summary>The integrity watch, lockdown polling and alert delivery (docs/incident-response.md).</summary>
public sealed class IntegrityConfig
{
    /// <summary>Full scan of the program and data directories; the file watcher reports in between.</summary>
    public int ScanIntervalSeconds { get; set; } = 600;

    /// <summary>How often the server looks for a lockdown or a session-end request made by the CLI.</summary>
    public int ControlPollMilliseconds { get; set; } = 1000;

    /// <summary>Where the published program lives (default: the directory of the running program).</summary>
    public string? ProgramDirectory { get; set; }

    /// <summary>The program-manifest signing key this instance trusts (base64), pinned at the first
    /// start that finds a signed manifest. A manifest signed by another key is an alert.</summary>
    public string? ManifestPublicKey { get; set; }

    /// <summary>Re-hash every blob on each full scan (costly on large stores; changed blobs are always re-hashed).</summary>
    public bool VerifyBlobsOnScan { get; set; }

    /// <summary>This many blob rewrites or deletions within <see cref="BlobBurstSeconds"/> is a mass-rewrite alert.</summary>
    public int BlobBurstCount { get; set; } = 20;
    public int BlobBurstSeconds { get; set; } = 60;

    /// <summary>How often privileged principals (admins, routes, trusted keys, scheduled jobs) are compared with the last known set.</summary>
    public int PrincipalCheckSeconds { get; set; } = 15;
}
