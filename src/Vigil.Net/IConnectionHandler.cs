namespace Vigil.Net;

/// <summary>A protocol's per-connection entry point (one session per call).</summary>
public interface IConnectionHandler
{
    /// <summary>Protocol name for logs and metrics ("smtp", "imap", "pop3").</summary>
    string Protocol { get; }

    /// <summary>Runs the session until it ends. <paramref name="ct"/> fires at shutdown, or when an
    /// admin ends this session (lockdown, forced reset).</summary>
    Task HandleAsync(Connection connection, CancellationToken ct);

    /// <summary>The bytes sent to a client refused at accept (limits, bans), e.g. "421 4.7.0 ...\r\n".</summary>
    ReadOnlyMemory<byte> RefusalReply(string reason);

    /// <summary>The bytes sent when the whole service is unavailable: a new client during lockdown,
    /// or an open session ended by an admin (SMTP "421 4.3.2", IMAP "* BYE", POP3 "-ERR").</summary>
    ReadOnlyMemory<byte> UnavailableReply(string reason) => RefusalReply(reason);
}
