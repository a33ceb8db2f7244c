using Vigil.Core.Model;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Writing;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>Splits a client's flag list into system flags and keywords. \Recent cannot be set
/// (RFC 9051 §2.3.2) and is ignored; an unknown system flag is an error.</summary>
internal static class FlagArguments
{
    public static bool TrySplit(IReadOnlyList<string> flags, out MessageFlags system, out List<string> keywords)
    {
        system = MessageFlags.None;
        keywords = [];
        foreach (var flag in flags)
        {
            if (flag.StartsWith('\\'))
            {
                if (flag.Equals(SystemFlags.Recent, StringComparison.OrdinalIgnoreCase)) continue;
                var bit = SystemFlags.Parse(flag);
                if (bit == MessageFlags.None) return false;
                system |= bit;
            }
            else if (!keywords.Contains(flag, StringComparer.OrdinalIgnoreCase) && ImapChars.IsAtom(flag))
            {
                keywords.Add(flag);
            }
        }
        return true;
    }
}
