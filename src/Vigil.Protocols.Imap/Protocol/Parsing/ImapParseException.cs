namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>Thrown by the parsers for input that does not follow the grammar; the session turns
/// it into a tagged BAD (or an untagged BAD when not even the tag could be read). The optional
/// response code (e.g. BADCHARSET) is sent with it, and <see cref="No"/> asks for NO instead of BAD.</summary>
public sealed class ImapParseException : Exception
{
    public ImapParseException(string message) : base(message) { }

    public ImapParseException(string message, string? code, bool no = false) : base(message)
    {
        Code = code;
        No = no;
    }

    public ImapParseException() { }

    public ImapParseException(string message, Exception inner) : base(message, inner) { }

    public string? Code { get; }

    public bool No { get; }
}
