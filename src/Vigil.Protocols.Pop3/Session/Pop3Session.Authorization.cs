using System.Buffers;
using System.Text;
using Vigil.Core.Accounts;
using Vigil.Net;
using Vigil.Security.Auth;
using Vigil.Net.Sasl;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Session;

// AUTHORIZATION state: USER/PASS (RFC 1939 §7), AUTH PLAIN (RFC 5034), STLS (RFC 2595), APOP refused.
public sealed partial class Pop3Session
{
    private static readonly Pop3Response PlaintextDisallowed =
        Pop3Response.Error(Pop3ResponseCode.Auth, "Plaintext authentication disallowed on non-secure connections; use STLS or port 995");

    /// <summary>RFC 2595 §2.1 and DESIGN.md: no password over an unencrypted connection, except
    /// from loopback (local tools) unless the admin turned that off.</summary>
    private bool LoginAllowed => _connection.IsTls || (_options.AllowPlaintextLoginFromLoopback && _connection.IsLoopback);

    private Task<Pop3Response?> AuthorizationAsync(Pop3Command command, CancellationToken ct) => command.Verb switch
    {
        Pop3Verb.User => Task.FromResult(User(command)),
        Pop3Verb.Pass => PassAsync(command, ct),
        Pop3Verb.Auth => AuthAsync(command, ct),
        Pop3Verb.Stls => StlsAsync(command, ct),
        Pop3Verb.Apop => Task.FromResult<Pop3Response?>(Pop3Response.Error("APOP is not supported; use USER/PASS or AUTH PLAIN over TLS")),
        Pop3Verb.Unknown => Task.FromResult<Pop3Response?>(Pop3Response.Error("Unknown command")),
        _ => Task.FromResult<Pop3Response?>(Pop3Response.Error("Not permitted before login")),
    };

    private Pop3Response? User(Pop3Command command)
    {
        _pendingUser = null;
        if (!LoginAllowed) return PlaintextDisallowed;
        if (command.Argument.Length == 0 || command.Argument.Contains(' ', StringComparison.Ordinal)) return Pop3Response.Error("Syntax: USER name");
        _pendingUser = command.Argument;
        // The same answer for every name, so USER does not reveal which accounts exist.
        return Pop3Response.Success("Send PASS");
    }

    private async Task<Pop3Response?> PassAsync(Pop3Command command, CancellationToken ct)
    {
        var user = _pendingUser;
        _pendingUser = null;
        if (!LoginAllowed) return PlaintextDisallowed;
        if (user is null) return Pop3Response.Error("Send USER first");
        // RFC 1939 §7: the whole rest of the line is the password, spaces included.
        return await LoginAsync(user, command.Argument, ct);
    }

    private async Task<Pop3Response?> AuthAsync(Pop3Command command, CancellationToken ct)
    {
        _pendingUser = null;
        if (!LoginAllowed) return PlaintextDisallowed;
        var args = command.Arguments;
        if (args.Count == 0)
        {
            // Not in RFC 5034, but widely used by clients (fetchmail) to discover mechanisms.
            MultiLine.Write(_connection.Output, Pop3Response.Success("SASL mechanisms follow"), ["PLAIN"]);
            return null;
        }
        if (args.Count > 2 || args.Any(a => a.Length == 0)) return Pop3Response.Error("Syntax: AUTH mechanism [initial-response]");
        if (!args[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase)) return Pop3Response.Error("Unsupported authentication mechanism");

        // RFC 5034 §4: "=" is an empty initial response; "*" in reply to a challenge cancels.
        var response = args.Count == 2 ? (args[1] == "=" ? "" : args[1]) : await ChallengeAsync(ct);
        if (response is null) return Pop3Response.Error("Authentication cancelled");
        if (!SaslDecoder.TryDecodePlain(response, out var user, out var password)) return Pop3Response.Error("Invalid PLAIN response");
        return await LoginAsync(user, password, ct);
    }

    /// <summary>Sends an empty "+ " challenge and reads the client's answer; null when the client
    /// cancels or the line is unusable (the session then closes if the client is gone).</summary>
    private async Task<string?> ChallengeAsync(CancellationToken ct)
    {
        _connection.Output.Write("+ \r\n"u8);
        var read = await Reader.ReadLineAsync(Pop3CommandParser.MaxAuthLine, _options.CommandTimeout, ct);
        if (read.Status is LineStatus.Closed or LineStatus.TimedOut or LineStatus.Abusive) _closing = true;
        if (read.Status != LineStatus.Line) return null;
        var text = Encoding.ASCII.GetString(LineScanner.TrimEol(read.Line, out _));
        return text == "*" ? null : text;
    }

    /// <summary>Checks credentials through <c>LoginService</c> (auto-ban counts failures), then
    /// locks and opens the maildrop.</summary>
    private async Task<Pop3Response?> LoginAsync(string user, string password, CancellationToken ct)
    {
        var remote = _connection.Remote.Address;
        var result = await _services.Logins.LoginAsync(remote, LoginProtocol.Pop3, user, password, ct);
        if (!result.Succeeded)
        {
            if (++_authFailures >= _options.MaxAuthFailures) _closing = true;
            return result.Outcome == AuthOutcome.PasswordExpired
                ? Pop3Response.Error(Pop3ResponseCode.Auth, "Password expired; set a new password before fetching mail")
                : Pop3Response.Error(Pop3ResponseCode.Auth, "Authentication failed");
        }

        var account = result.Account!;
        var lease = _services.Locks.TryAcquire(account.Id);
        if (lease is null)
        {
            LogInUse(_logger, account.Address, remote.ToString());
            Pop3Metrics.InUse.Add(1);
            return Pop3Response.Error(Pop3ResponseCode.InUse, "Maildrop is in use by another POP3 session");
        }
        try
        {
            _maildrop = await MaildropLoader.LoadAsync(_services.Messages, _services.Sizes, account.Id, ct);
        }
#pragma warning disable CA1031 // whatever failed, the client may retry later
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            lease.Dispose();
            LogOpenFailed(_logger, ex, account.Address);
            return Pop3Response.Error(Pop3ResponseCode.SysTemp, "Cannot open the maildrop now; try again later");
        }
        _lock = lease;
        _account = account;
        _state = Pop3State.Transaction;
        var (count, octets) = _maildrop.Stat();
        LogOpened(_logger, account.Address, remote.ToString(), count, octets);
        return Pop3Response.Success($"Logged in; {count} messages ({octets} octets)");
    }

    private async Task<Pop3Response?> StlsAsync(Pop3Command command, CancellationToken ct)
    {
        if (command.Argument.Length > 0) return Pop3Response.Error("STLS takes no arguments");
        if (_connection.IsTls) return Pop3Response.Error("TLS is already active");
        if (_services.Tls is null) return Pop3Response.Error("TLS is not available");
        await ReplyAndFlushAsync(Pop3Response.Success("Begin TLS negotiation"), ct);
        // Connection.StartTlsAsync discards anything pipelined before the handshake (RFC 2595 §3.1).
        await _connection.StartTlsAsync(_services.Tls.ServerOptions(), _options.TlsHandshakeTimeout, ct);
        _pendingUser = null;
        return null;
    }
}
