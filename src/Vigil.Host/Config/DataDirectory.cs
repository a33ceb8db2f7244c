namespace Vigil.Host.Config;

/// <summary>Every path under the data directory, in one place. The integrity watch's layout rule
/// is derived from this list: anything else found there is an alert.</summary>
public sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string ConfigFile => Path.Combine(Root, "vigil.json");
    /// <summary>The signed hash of the config as Vigil last wrote it (integrity watch).</summary>
    public string ConfigSealFile => Path.Combine(Root, Vigil.Ops.Integrity.ConfigSeal.FileName);
    public string Database => Path.Combine(Root, "vigil.db");
    public string Blobs => Path.Combine(Root, "blobs");
    public string Certs => Path.Combine(Root, "certs");
    public string CertificateFile => Path.Combine(Certs, "cert.pem");
    public string KeyFile => Path.Combine(Certs, "key.pem");
    public string Secrets => Path.Combine(Root, "secrets");
    public string InstanceKeyFile => Path.Combine(Secrets, "instance.key");
    public string Audit => Path.Combine(Root, "audit");
    public string Run => Path.Combine(Root, "run");
    public string Advisories => Path.Combine(Root, "advisories");
    public string Fleet => Path.Combine(Root, "fleet");
    public string StatusFile => Path.Combine(Run, "status.json");
    /// <summary>The certificate the running server serves (TlsReloadService), for <c>vigil status</c>.</summary>
    public string TlsStatusFile => Path.Combine(Run, "tls.json");
    /// <summary>The newest alerts of this instance, kept across restarts and shared with CLI commands (RecentAlerts).</summary>
    public string RecentAlertsFile => Path.Combine(Run, "recent-alerts.json");
    public string LockdownFile => Path.Combine(Root, "lockdown.json");
    public string SessionEndRequests => Path.Combine(Run, "end-sessions");
    public string Backup => Path.Combine(Root, "backup");
    public string BackupStaging => Path.Combine(Backup, "staging");
    public string BackupStateFile => Path.Combine(Backup, "state.json");
    /// <summary>Mailbox changes a CLI process hands to the running server (<c>*.json</c>, see MailboxEventRelay).</summary>
    public string MailboxEvents => Path.Combine(Run, "events");

    public bool IsInitialised => File.Exists(ConfigFile);

    /// <summary>The directory named by --data, else $VIGIL_DATA.</summary>
    public static string? Resolve(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable("VIGIL_DATA") is { Length: > 0 } env ? env : null;
}
