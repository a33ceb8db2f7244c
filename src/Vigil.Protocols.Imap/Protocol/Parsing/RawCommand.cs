namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>One complete command as received: its lines joined with their literals inline
/// ("{n}\r\n" followed by n octets), without the final CRLF. A literal too large to keep in
/// memory (an APPEND message) is spooled elsewhere: its "{n}\r\n" marker stays in
/// <see cref="Text"/> without the octets, and <see cref="Spooled"/> maps the marker's offset to
/// the handle the session stored them under.</summary>
public sealed class RawCommand(ReadOnlyMemory<byte> text, IReadOnlyDictionary<int, object>? spooled = null)
{
    private static readonly Dictionary<int, object> None = [];

    public ReadOnlyMemory<byte> Text { get; } = text;

    public IReadOnlyDictionary<int, object> Spooled { get; } = spooled ?? None;
}
