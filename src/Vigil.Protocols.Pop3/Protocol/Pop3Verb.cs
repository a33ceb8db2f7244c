namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>The POP3 commands Vigil knows (RFC 1939 §4–§7, RFC 2449 CAPA, RFC 2595 STLS,
/// RFC 5034 AUTH).</summary>
public enum Pop3Verb
{
    Unknown,
    User,
    Pass,
    Apop,
    Auth,
    Capa,
    Stls,
    Stat,
    List,
    Retr,
    Dele,
    Noop,
    Rset,
    Top,
    Uidl,
    Quit,
}
