using Vigil.Core.Model;

namespace Vigil.Protocols.Imap.Protocol.Writing;

/// <summary>Names of the IMAP system flags (RFC 9051 §2.3.2) and their bits.</summary>
public static class SystemFlags
{
    public const string Recent = "\\Recent";

    public static readonly (MessageFlags Bit, string Name)[] All =
    [
        (MessageFlags.Seen, "\\Seen"),
        (MessageFlags.Answered, "\\Answered"),
        (MessageFlags.Flagged, "\\Flagged"),
        (MessageFlags.Deleted, "\\Deleted"),
        (MessageFlags.Draft, "\\Draft"),
    ];

    /// <summary>Maps "\Seen" (any case) to its bit; 0 for keywords and unknown system flags.</summary>
    public static MessageFlags Parse(string flag)
    {
        foreach (var (bit, name) in All)
        {
            if (name.Equals(flag, StringComparison.OrdinalIgnoreCase)) return bit;
        }
        return MessageFlags.None;
    }
}
