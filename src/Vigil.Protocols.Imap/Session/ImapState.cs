namespace Vigil.Protocols.Imap.Session;

/// <summary>RFC 9051 §3 connection states.</summary>
public enum ImapState
{
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

/// <summary>Extensions a client turned on with ENABLE (RFC 5161) or by using them.</summary>
[Flags]
public enum Enabled
{
    None = 0,
    CondStore = 1,
    Qresync = 2,
    Utf8Accept = 4,
    Imap4Rev2 = 8,
}
