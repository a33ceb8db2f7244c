using Vigil.Core.Accounts;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Security.Auth;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>LOGIN (RFC 9051 §6.2.3). Refused without TLS (LOGINDISABLED) except from loopback.
/// Every attempt goes through the shared login service, so failures count toward the auto-ban.</summary>
internal static class LoginCommand
{
    public static Task<CommandResult> ExecuteAsync(ImapSession session, LoginRequest request, CancellationToken ct)
    {
        if (!session.AuthAllowed) return Task.FromResult(CommandResult.No("Log in only after STARTTLS", "PRIVACYREQUIRED"));
        return CheckAsync(session, request.User, request.Password, ct);
    }

    /// <summary>Checks credentials for LOGIN and AUTHENTICATE and moves the session on.</summary>
    public static async Task<CommandResult> CheckAsync(ImapSession session, string user, string password, CancellationToken ct)
    {
        var result = await session.Services.Logins.LoginAsync(session.Connection.Remote.Address, LoginProtocol.Imap, user, password, ct);
        if (result.Succeeded)
        {
            session.Authenticated(result.Account!);
            return CommandResult.Ok("Logged in", "CAPABILITY " + Capabilities.For(session));
        }
        if (++session.AuthFailures >= session.Options.MaxAuthFailures)
        {
            session.Writer.UntaggedStatus("BYE", null, "Too many authentication failures");
            session.Logout();
            return CommandResult.No("Authentication failed", "AUTHENTICATIONFAILED") with { Close = true };
        }
        return result.Outcome == AuthOutcome.PasswordExpired
            ? CommandResult.No("Password expired; set a new one first", "EXPIRED")
            : CommandResult.No("Authentication failed", "AUTHENTICATIONFAILED");
    }
}
