using System.Buffers;
using Microsoft.Extensions.Logging;
using Vigil.Core.Model;
using Vigil.Net;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>One POP3 connection: reads commands, keeps the session state (AUTHORIZATION with an
/// optional pending USER, TRANSACTION with the locked maildrop) and dispatches to the command
/// handlers in the other parts of this class. A session that ends any way but QUIT deletes
/// nothing (RFC 1939 §6).</summary>
public sealed partial class Pop3Session
{
    private readonly Connection _connection;
    private readonly Pop3ServerOptions _options;
    private readonly Pop3Services _services;
    private readonly ILogger _logger;
    private Pop3State _state = Pop3State.Authorization;
    private string? _pendingUser;
    private Account? _account;
    private Maildrop? _maildrop;
    private IDisposable? _lock;
    private int _errors;
    private int _authFailures;
    private int _commandsBeforeLogin;
    private bool _closing;

    public Pop3Session(Connection connection, Pop3ServerOptions options, Pop3Services services)
    {
        _connection = connection;
        _options = options;
        _services = services;
        _logger = services.LoggerFactory.CreateLogger<Pop3Session>();
    }

    private ProtocolReader Reader => _connection.Reader;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            // No APOP timestamp in the greeting: APOP needs the clear-text secret, which Vigil
            // never stores (RFC 1939 §7 makes APOP optional).
            Reply(Pop3Response.Success($"{_options.Hostname} Vigil POP3 server ready"));
            while (!_closing && !ct.IsCancellationRequested)
            {
                var read = await Reader.ReadLineAsync(Pop3CommandParser.MaxLine, _options.CommandTimeout, ct);
                switch (read.Status)
                {
                    case LineStatus.Closed:
                        return;
                    case LineStatus.TimedOut:
                        // RFC 1939 §3: the autologout timer closes without entering UPDATE.
                        await ReplyAndFlushAsync(Pop3Response.Error("Autologout: idle for too long"), ct);
                        return;
                    case LineStatus.Abusive:
                        await ReplyAndFlushAsync(Pop3Response.Error("Line too long; closing connection"), ct);
                        return;
                    case LineStatus.TooLong:
                        await ErrorAsync(Pop3Response.Error($"Line too long (at most {Pop3CommandParser.MaxLine} octets)"), ct);
                        continue;
                }
                var command = Pop3CommandParser.Parse(LineScanner.TrimEol(read.Line, out _), out var error);
                if (command is null)
                {
                    await ErrorAsync(Pop3Response.Error(error!), ct);
                    continue;
                }
                if (_state == Pop3State.Authorization && ++_commandsBeforeLogin > _options.MaxCommandsBeforeLogin)
                {
                    await ReplyAndFlushAsync(Pop3Response.Error("Too many commands before login; closing connection"), ct);
                    return;
                }
                var response = await ExecuteAsync(command, ct);
                if (response is null) continue; // the handler wrote its own response
                if (response.Ok || response.Code == Pop3ResponseCode.Auth) Reply(response);
                else await ErrorAsync(response, ct);
            }
            if (ct.IsCancellationRequested && !_closing) await GoodbyeOnShutdownAsync();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !_closing)
        {
            await GoodbyeOnShutdownAsync();
        }
        finally
        {
            _lock?.Dispose();
        }
    }

    private Task<Pop3Response?> ExecuteAsync(Pop3Command command, CancellationToken ct)
    {
        if (command.Verb == Pop3Verb.Quit) return QuitAsync(command, ct);
        if (command.Verb == Pop3Verb.Capa) return Task.FromResult(Capa(command));
        return _state == Pop3State.Authorization ? AuthorizationAsync(command, ct) : TransactionAsync(command, ct);
    }

    private Pop3Response? Capa(Pop3Command command)
    {
        if (command.Argument.Length > 0) return Pop3Response.Error("CAPA takes no arguments");
        var lines = Pop3Capabilities.For(_state == Pop3State.Authorization, LoginAllowed,
            tlsOffered: !_connection.IsTls && _services.Tls is not null, _options.Implementation);
        MultiLine.Write(_connection.Output, Pop3Response.Success("Capability list follows"), lines);
        return null;
    }

    /// <summary>Sends an error and counts it; closes the session when the client has used up its errors.</summary>
    private async ValueTask ErrorAsync(Pop3Response response, CancellationToken ct)
    {
        Reply(response);
        if (++_errors <= _options.MaxErrors) return;
        await ReplyAndFlushAsync(Pop3Response.Error("Too many errors; closing connection"), ct);
        _closing = true;
    }

    /// <summary>Buffers a response; the reader flushes before it waits for input (PIPELINING).</summary>
    private void Reply(Pop3Response response) => _connection.Output.Write(response.ToBytes());

    private async ValueTask ReplyAndFlushAsync(Pop3Response response, CancellationToken ct)
    {
        Reply(response);
        await _connection.Output.FlushAsync(ct);
    }

    private async Task GoodbyeOnShutdownAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var why = _connection.EndReason ?? "Server shutting down";
            await ReplyAndFlushAsync(Pop3Response.Error(Pop3ResponseCode.SysTemp, $"{why}; nothing was deleted"), cts.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // the client is gone or not reading; it will learn from the closed connection
        }
    }

    [LoggerMessage(EventId = 6001, EventName = "pop3.maildrop_opened", Level = LogLevel.Information, Message = "POP3 {User} from {Remote} opened maildrop: {Count} messages, {Octets} octets")]
    private static partial void LogOpened(ILogger logger, string user, string remote, int count, long octets);

    [LoggerMessage(EventId = 6002, EventName = "pop3.in_use", Level = LogLevel.Warning, Message = "POP3 {User} from {Remote} refused: maildrop in use")]
    private static partial void LogInUse(ILogger logger, string user, string remote);

    [LoggerMessage(EventId = 6003, EventName = "pop3.maildrop_failed", Level = LogLevel.Error, Message = "POP3 {User}: cannot open maildrop")]
    private static partial void LogOpenFailed(ILogger logger, Exception ex, string user);

    [LoggerMessage(EventId = 6004, EventName = "pop3.update", Level = LogLevel.Information, Message = "POP3 {User} QUIT: {Deleted} of {Marked} marked messages expunged")]
    private static partial void LogUpdate(ILogger logger, string user, int deleted, int marked);

    [LoggerMessage(EventId = 6005, EventName = "pop3.update_failed", Level = LogLevel.Error, Message = "POP3 {User} QUIT: expunge of {Marked} messages failed")]
    private static partial void LogUpdateFailed(ILogger logger, Exception ex, string user, int marked);
}
