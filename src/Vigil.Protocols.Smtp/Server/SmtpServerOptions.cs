namespace Vigil.Protocols.Smtp.Server;

/// <summary>How one SMTP listener behaves. Defaults follow RFC 5321 §4.5.3.</summary>
public sealed record SmtpServerOptions
{
    public required string Hostname { get; init; }

    /// <summary>Submission (RFC 6409): MAIL requires AUTH. MX: anyone may send to local domains.</summary>
    public SmtpMode Mode { get; init; } = SmtpMode.Mx;

    public long MaxMessageBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>RFC 5321 §4.5.3.1.8: at least 100 must be accepted.</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>§4.5.3.2.7: the server waits 5 minutes for the next command.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>§4.5.3.2.5 (client's 3 minutes per data block), used on the server side too.</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Syntax and sequence errors tolerated before the connection is closed.</summary>
    public int MaxErrors { get; init; } = 10;

    /// <summary>Loopback clients (local tools) may authenticate without TLS; everyone else needs TLS.</summary>
    public bool AllowPlaintextAuthOnLoopback { get; init; } = true;

    /// <summary>Failed AUTH attempts tolerated in one session before it is closed.</summary>
    public int MaxAuthFailures { get; init; } = 3;

    /// <summary>Commands other than the mail flow (MAIL, RCPT, DATA, BDAT, QUIT) an unauthenticated
    /// session may send: NOOP/RSET/VRFY/HELP loops cannot hold a connection forever (Postfix's
    /// smtpd_junk_command_limit is 100 too).</summary>
    public int MaxCommandsBeforeAuth { get; init; } = 100;

    /// <summary>Mail transactions (MAIL commands) per connection; then the client must reconnect,
    /// which passes the accept-time gates again (Exim's smtp_accept_max_per_connection is 1000 too).</summary>
    public int MaxMessagesPerConnection { get; init; } = 1000;

    /// <summary>After <see cref="SlowTransferGrace"/>, DATA and BDAT must average at least this many
    /// bytes per second, so a client trickling one byte per second cannot hold a session (and a
    /// blob writer) for hours while every single read stays within <see cref="DataTimeout"/>.</summary>
    public double MinDataBytesPerSecond { get; init; } = 1024;

    public TimeSpan SlowTransferGrace { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The role of an SMTP listener.</summary>
public enum SmtpMode
{
    /// <summary>Port 25: inbound mail for local domains.</summary>
    Mx,
    /// <summary>Ports 587/465: authenticated users sending mail.</summary>
    Submission,
}
