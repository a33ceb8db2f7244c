namespace Vigil.Protocols.Imap.Session;

/// <summary>The tagged completion of a command: status, optional response code, text. With
/// <see cref="Close"/> the session ends after sending it.</summary>
public readonly record struct CommandResult(string Status, string? Code, string Text, bool Close = false)
{
    public static CommandResult Ok(string text, string? code = null) => new("OK", code, text);

    public static CommandResult No(string text, string? code = null) => new("NO", code, text);

    public static CommandResult Bad(string text, string? code = null) => new("BAD", code, text);

    /// <summary>The command wrote its own tagged reply (LOGOUT after BYE, STARTTLS).</summary>
    public static readonly CommandResult None = new("", null, "");

    public bool IsNone => Status.Length == 0;
}
