namespace Vigil.Host.Config;

/// <summary>IMAP settings (docs/imap.md). Ports are in <see cref="ListenerPorts"/>.</summary>
public sealed class ImapConfig
{
    /// <summary>RFC 7889 APPENDLIMIT: the largest message a client may upload.</summary>
    public long AppendLimitBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>RFC 9051 §5.4: at least 30 minutes for an authenticated session; lower values are raised to it.</summary>
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>Time a client has to log in after connecting.</summary>
    public int LoginTimeoutSeconds { get; set; } = 60;

    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>Failed logins in one session before it is closed.</summary>
    public int MaxAuthFailures { get; set; } = 3;

    /// <summary>Mail clients keep several connections each (one per watched folder).</summary>
    public int MaxConnectionsPerIp { get; set; } = 50;

    public int MaxConnections { get; set; } = 10000;

    /// <summary>Loopback clients may log in before STARTTLS (local tools); nobody else may.</summary>
    public bool AllowPlaintextAuthOnLoopback { get; set; } = true;
}
