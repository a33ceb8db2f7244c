using System.Text;
using Vigil.Core.Accounts;
using Vigil.Net;
using Vigil.Security.Auth;
using Vigil.Net.Sasl;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Server;

// AUTH PLAIN and LOGIN with initial response (RFC 4954, RFC 4616).
public sealed partial class SmtpSession
{
    /// <summary>RFC 4954 §4 and DESIGN.md: no password over an unencrypted connection, except from
    /// loopback (local tools).</summary>
    private bool AuthAllowed => _connection.IsTls || (_connection.IsLoopback && _options.AllowPlaintextAuthOnLoopback);

    private async Task<SmtpReply?> AuthAsync(string argument, CancellationToken ct)
    {
        if (_helo is null || !_ehlo) return SmtpReplies.NeedHelo;
        if (_authenticated is not null) return SmtpReplies.AlreadyAuthenticated;
        if (_transaction is not null) return SmtpReplies.BadSequence;
        if (!AuthAllowed) return SmtpReplies.AuthNeedsTls;

        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2) return new SmtpReply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        var initial = parts.Length == 2 ? parts[1] : null;
        string user, password;
        switch (parts[0].ToUpperInvariant())
        {
            case "PLAIN":
                var response = initial == "=" ? "" : initial ?? await ChallengeAsync("", ct);
                if (response is null) return SmtpReplies.AuthCancelled;
                if (!SaslDecoder.TryDecodePlain(response, out user, out password)) return new SmtpReply(501, "5.5.2", "Invalid PLAIN response");
                break;
            case "LOGIN":
                var userB64 = initial ?? await ChallengeAsync("VXNlcm5hbWU6", ct); // "Username:"
                if (userB64 is null) return SmtpReplies.AuthCancelled;
                var passB64 = await ChallengeAsync("UGFzc3dvcmQ6", ct); // "Password:"
                if (passB64 is null) return SmtpReplies.AuthCancelled;
                if (!SaslDecoder.TryBase64(userB64, out user) || !SaslDecoder.TryBase64(passB64, out password)) return new SmtpReply(501, "5.5.2", "Invalid LOGIN response");
                break;
            default:
                return SmtpReplies.UnknownMechanism;
        }

        var result = await _services.Logins.LoginAsync(_connection.Remote.Address, LoginProtocol.Smtp, user, password, ct);
        if (result.Succeeded)
        {
            _authenticated = result.Account;
            return SmtpReplies.AuthOk;
        }
        if (++_authFailures >= _options.MaxAuthFailures) _quit = true;
        return result.Outcome == AuthOutcome.PasswordExpired ? SmtpReplies.PasswordExpired : SmtpReplies.AuthFailed;
    }

    /// <summary>Sends a 334 challenge and reads the answer; null when the client cancels with "*"
    /// or the line is unusable.</summary>
    private async Task<string?> ChallengeAsync(string challenge, CancellationToken ct)
    {
        await ReplyAsync(new SmtpReply(334, null, challenge), ct);
        var read = await Reader.ReadLineAsync(SmtpCommandParser.AuthLimit, _options.CommandTimeout, ct);
        if (read.Status != LineStatus.Line) return null;
        var text = Encoding.ASCII.GetString(LineScanner.TrimEol(read.Line, out _));
        return text == "*" ? null : text;
    }
}
