namespace Vigil.Protocols.Imap.Protocol.Requests;

/// <summary>A parsed command. <see cref="Name"/> is the command as the tagged reply names it
/// ("FETCH", "UID FETCH").</summary>
public abstract record ImapRequest
{
    public string Tag { get; init; } = "";
    public string Name { get; init; } = "";
}

/// <summary>Commands without arguments.</summary>
public enum SimpleCommand
{
    Capability,
    Noop,
    Logout,
    StartTls,
    Check,
    Close,
    Unselect,
    Idle,
    Namespace,
    Expunge,
}

public sealed record SimpleRequest(SimpleCommand Command) : ImapRequest;
