namespace Vigil.Protocols.Pop3.Session;

/// <summary>How one POP3 listener behaves.</summary>
public sealed record Pop3ServerOptions
{
    public required string Hostname { get; init; }

    /// <summary>RFC 1939 §3: the inactivity autologout timer must be at least 10 minutes.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one RETR/TOP may wait for the client to take its bytes.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Syntax and sequence errors tolerated before the connection is closed.</summary>
    public int MaxErrors { get; init; } = 20;

    /// <summary>Failed logins tolerated in one session before it is closed.</summary>
    public int MaxAuthFailures { get; init; } = 3;

    /// <summary>Commands a client may send before it has logged in.</summary>
    public int MaxCommandsBeforeLogin { get; init; } = 30;

    /// <summary>Whether clients on loopback may log in without TLS (local tools, tests). Everyone
    /// else must use STLS or the implicit-TLS port first (RFC 2595 §2.1).</summary>
    public bool AllowPlaintextLoginFromLoopback { get; init; } = true;

    /// <summary>The IMPLEMENTATION capability (RFC 2449 §6.9).</summary>
    public string Implementation { get; init; } = "Vigil";
}
