namespace Vigil.Protocols.Imap.Session;

/// <summary>How an IMAP listener behaves; every input is bounded (DESIGN.md).</summary>
public sealed record ImapServerOptions
{
    public required string Hostname { get; init; }

    /// <summary>Longest command line (without literals) accepted.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Largest command kept in memory: its lines plus literals other than APPEND messages.</summary>
    public int MaxCommandBytes { get; init; } = 1024 * 1024;

    /// <summary>APPEND literals up to this size stay in memory; larger ones stream to a blob.</summary>
    public int InlineLiteralLimit { get; init; } = 64 * 1024;

    /// <summary>RFC 7889 APPENDLIMIT: the largest message APPEND accepts.</summary>
    public long AppendLimit { get; init; } = 50L * 1024 * 1024;

    /// <summary>Before login the client must be quick.</summary>
    public TimeSpan PreAuthTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>RFC 9051 §5.4: the autologout timer of an authenticated session is at least 30 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Time allowed between chunks of a literal.</summary>
    public TimeSpan LiteralTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed logins in one session before it is closed (each also counts toward auto-ban).</summary>
    public int MaxAuthFailures { get; init; } = 3;

    /// <summary>BAD replies tolerated in one session before it is closed.</summary>
    public int MaxErrors { get; init; } = 20;

    /// <summary>Loopback clients (local tools, tests) may log in without TLS; nobody else may.</summary>
    public bool AllowPlaintextAuthOnLoopback { get; init; } = true;
}
