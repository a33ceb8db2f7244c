namespace Vigil.Protocols.Pop3.Session;

/// <summary>RFC 1939 §3 session states. UPDATE is entered only by QUIT from TRANSACTION and lasts
/// until the connection closes, so it is not a state the command loop ever waits in.</summary>
public enum Pop3State
{
    Authorization,
    Transaction,
}
