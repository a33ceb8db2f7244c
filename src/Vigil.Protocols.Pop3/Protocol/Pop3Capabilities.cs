namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>The CAPA list (RFC 2449 §5, §6). What is offered depends on the session: login
/// mechanisms only where a password may be sent (RFC 2595 §4: after TLS, or from loopback), STLS
/// only before TLS and before login.</summary>
public static class Pop3Capabilities
{
    public static IReadOnlyList<string> For(bool authorization, bool loginAllowed, bool tlsOffered, string implementation)
    {
        var lines = new List<string> { "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING" };
        // §6.7: the server never deletes mail on its own. §6.5: no delay is enforced between logins.
        lines.Add("EXPIRE NEVER");
        lines.Add("LOGIN-DELAY 0");
        if (authorization)
        {
            if (loginAllowed)
            {
                lines.Add("USER");
                lines.Add("SASL PLAIN");
            }
            if (tlsOffered) lines.Add("STLS");
        }
        lines.Add("IMPLEMENTATION " + implementation);
        return lines;
    }
}
