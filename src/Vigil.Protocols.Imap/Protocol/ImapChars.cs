namespace Vigil.Protocols.Imap.Protocol;

/// <summary>The character classes of the IMAP grammar (RFC 9051 §9).</summary>
public static class ImapChars
{
    /// <summary>ATOM-CHAR: any 7-bit CHAR except atom-specials: ( ) { SP CTL % * " \ ].</summary>
    public static bool IsAtomChar(byte b) => b is > 0x20 and < 0x7f and not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    /// <summary>ASTRING-CHAR: ATOM-CHAR or resp-specials (]).</summary>
    public static bool IsAStringChar(byte b) => IsAtomChar(b) || b == (byte)']';

    /// <summary>list-char: ATOM-CHAR, list-wildcards (% *) or resp-specials.</summary>
    public static bool IsListChar(byte b) => IsAStringChar(b) || b is (byte)'%' or (byte)'*';

    /// <summary>tag: 1*&lt;any ASTRING-CHAR except "+"&gt;.</summary>
    public static bool IsTagChar(byte b) => IsAStringChar(b) && b != (byte)'+';

    /// <summary>True when <paramref name="s"/> can be sent as an atom (not NIL, which would mean null).</summary>
    public static bool IsAtom(string s)
    {
        if (s.Length == 0 || s.Length > 256 || s.Equals("NIL", StringComparison.OrdinalIgnoreCase)) return false;
        foreach (var c in s)
        {
            if (c > 0x7f || !IsAtomChar((byte)c)) return false;
        }
        return true;
    }
}
