using System.Text;
using Vigil.Net;
using Vigil.Net.Sasl;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>AUTHENTICATE PLAIN (RFC 4616) and LOGIN, with the SASL-IR initial response (RFC 4959).
/// "*" cancels (RFC 9051 §6.2.2).</summary>
internal static class AuthenticateCommand
{
    private const int MaxResponse = 8 * 1024;

    public static async Task<CommandResult> ExecuteAsync(ImapSession session, AuthenticateRequest request, CancellationToken ct)
    {
        if (!session.AuthAllowed) return CommandResult.No("Authenticate only after STARTTLS", "PRIVACYREQUIRED");
        string user, password;
        switch (request.Mechanism)
        {
            case "PLAIN":
                var response = request.InitialResponse ?? await ChallengeAsync(session, "", ct);
                if (response is null) return CommandResult.Bad("Authentication cancelled");
                if (!SaslDecoder.TryDecodePlain(response, out user, out password)) return CommandResult.Bad("Invalid PLAIN response");
                break;
            case "LOGIN":
                var userB64 = request.InitialResponse ?? await ChallengeAsync(session, "VXNlcm5hbWU6", ct); // "Username:"
                if (userB64 is null) return CommandResult.Bad("Authentication cancelled");
                var passB64 = await ChallengeAsync(session, "UGFzc3dvcmQ6", ct); // "Password:"
                if (passB64 is null) return CommandResult.Bad("Authentication cancelled");
                if (!SaslDecoder.TryBase64(userB64, out user) || !SaslDecoder.TryBase64(passB64, out password)) return CommandResult.Bad("Invalid LOGIN response");
                break;
            default:
                return CommandResult.No("Unsupported authentication mechanism", "CANNOT");
        }
        return await LoginCommand.CheckAsync(session, user, password, ct);
    }

    /// <summary>Sends "+ challenge" and reads the client's line; null when it cancels or is gone.</summary>
    private static async Task<string?> ChallengeAsync(ImapSession session, string challenge, CancellationToken ct)
    {
        session.Writer.Raw("+ "u8).Ascii(challenge).Crlf();
        var read = await session.Connection.Reader.ReadLineAsync(MaxResponse, session.Options.PreAuthTimeout, ct);
        if (read.Status != LineStatus.Line) return null;
        var text = Encoding.ASCII.GetString(LineScanner.TrimEol(read.Line, out _));
        return text == "*" ? null : text;
    }
}
