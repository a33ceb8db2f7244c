using System.Buffers;
using Microsoft.Extensions.Logging;
using Vigil.Core.Model;
using Vigil.Net;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Server;

/// <summary>One SMTP connection: reads commands, keeps the session state (HELO, TLS, AUTH, the
/// current transaction) and dispatches to the command handlers in the other parts of this class.</summary>
public sealed partial class SmtpSession
{
    private readonly Connection _connection;
    private readonly SmtpServerOptions _options;
    private readonly SmtpServices _services;
    private readonly ILogger _logger;
    private string? _helo;
    private bool _ehlo;
    private Account? _authenticated;
    private SmtpTransaction? _transaction;
    private int _errors;
    private int _authFailures;
    private int _commandsBeforeAuth;
    private int _messages;
    private bool _quit;

    public SmtpSession(Connection connection, SmtpServerOptions options, SmtpServices services)
    {
        _connection = connection;
        _options = options;
        _services = services;
        _logger = services.LoggerFactory.CreateLogger<SmtpSession>();
    }

    private ProtocolReader Reader => _connection.Reader;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await ReplyAsync(new SmtpReply(220, null, $"{_options.Hostname} ESMTP Vigil"), ct);
            while (!_quit && !ct.IsCancellationRequested)
            {
                var read = await Reader.ReadLineAsync(SmtpCommandParser.MaxLine, _options.CommandTimeout, ct);
                switch (read.Status)
                {
                    case LineStatus.Closed:
                        return;
                    case LineStatus.TimedOut:
                        await ReplyAndFlushAsync(SmtpReplies.Timeout, ct);
                        return;
                    case LineStatus.Abusive:
                        await ReplyAndFlushAsync(SmtpReplies.TooManyErrors, ct);
                        return;
                    case LineStatus.TooLong:
                        if (!await ErrorAsync(SmtpReplies.LineTooLong, ct)) return;
                        continue;
                }
                var body = LineScanner.TrimEol(read.Line, out var bareLf);
                if (bareLf)
                {
                    if (!await ErrorAsync(new SmtpReply(500, "5.5.2", "Syntax error: command lines must end with CRLF"), ct)) return;
                    continue;
                }
                var parsed = SmtpCommandParser.Parse(body);
                if (parsed.Error is not null)
                {
                    if (!await ErrorAsync(parsed.Error, ct)) return;
                    continue;
                }
                if (_authenticated is null && !IsMailFlow(parsed.Command!.Verb) && ++_commandsBeforeAuth > _options.MaxCommandsBeforeAuth)
                {
                    await ReplyAndFlushAsync(SmtpReplies.TooManyCommands, ct);
                    return;
                }
                var reply = await ExecuteAsync(parsed.Command!, ct);
                if (reply is null) continue; // the handler replied itself (DATA, AUTH, STARTTLS)
                if (reply.Code >= 500 && !await ErrorAsync(reply, ct)) return;
                if (reply.Code < 500) await ReplyAsync(reply, ct);
            }
            if (ct.IsCancellationRequested && !_quit) await ReplyAndFlushAsync(SmtpReplies.ShuttingDown, CancellationToken.None);
        }
        finally
        {
            await AbortTransactionAsync();
        }
    }

    private static bool IsMailFlow(SmtpVerb verb) => verb is SmtpVerb.Mail or SmtpVerb.Rcpt or SmtpVerb.Data or SmtpVerb.Bdat or SmtpVerb.Quit;

    private Task<SmtpReply?> ExecuteAsync(SmtpCommand command, CancellationToken ct) => command.Verb switch
    {
        SmtpVerb.Helo => Task.FromResult<SmtpReply?>(Helo(command.Argument, extended: false)),
        SmtpVerb.Ehlo => Task.FromResult<SmtpReply?>(Helo(command.Argument, extended: true)),
        SmtpVerb.Mail => MailAsync(command.Argument, ct),
        SmtpVerb.Rcpt => RcptAsync(command.Argument, ct),
        SmtpVerb.Data => DataAsync(command.Argument, ct),
        SmtpVerb.Bdat => BdatAsync(command.Argument, ct),
        SmtpVerb.Rset => RsetAsync(),
        SmtpVerb.Noop => Task.FromResult<SmtpReply?>(SmtpReplies.Ok),
        SmtpVerb.Quit => QuitAsync(ct),
        SmtpVerb.Vrfy => Task.FromResult<SmtpReply?>(SmtpReplies.CannotVrfy),
        SmtpVerb.Expn => Task.FromResult<SmtpReply?>(SmtpReplies.ExpnDisabled),
        SmtpVerb.Help => Task.FromResult<SmtpReply?>(SmtpReplies.Help),
        SmtpVerb.StartTls => StartTlsAsync(command.Argument, ct),
        SmtpVerb.Auth => AuthAsync(command.Argument, ct),
        _ => Task.FromResult<SmtpReply?>(SmtpReplies.UnknownCommand),
    };

    private SmtpReply Helo(string argument, bool extended)
    {
        var name = argument.Trim();
        if (name.Length == 0) return new SmtpReply(501, "5.5.4", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
        _helo = name;
        _ehlo = extended;
        _ = AbortTransactionAsync();
        var greeting = $"{_options.Hostname} Hello {name} [{_connection.Remote.Address}]";
        if (!extended) return new SmtpReply(250, null, greeting);
        var lines = new List<string>
        {
            greeting,
            "PIPELINING",
            $"SIZE {_options.MaxMessageBytes}",
            "8BITMIME",
            "BINARYMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
            "DSN",
        };
        if (!_connection.IsTls && _services.Tls is not null) lines.Add("STARTTLS");
        if (AuthAllowed && _authenticated is null) lines.Add("AUTH PLAIN LOGIN");
        return new SmtpReply(250, null, lines);
    }

    private async Task<SmtpReply?> RsetAsync()
    {
        await AbortTransactionAsync();
        return SmtpReplies.Ok;
    }

    private async Task<SmtpReply?> QuitAsync(CancellationToken ct)
    {
        _quit = true;
        await ReplyAndFlushAsync(SmtpReplies.Bye, ct);
        return null;
    }

    private async Task AbortTransactionAsync()
    {
        var tx = _transaction;
        _transaction = null;
        if (tx?.ChunkWriter is not null) await tx.ChunkWriter.DisposeAsync();
    }

    /// <summary>Sends an error reply and counts it; false when the client has used up its errors.</summary>
    private async Task<bool> ErrorAsync(SmtpReply reply, CancellationToken ct)
    {
        if (++_errors > _options.MaxErrors)
        {
            await ReplyAndFlushAsync(SmtpReplies.TooManyErrors, ct);
            return false;
        }
        await ReplyAsync(reply, ct);
        return true;
    }

    /// <summary>Buffers a reply; the reader flushes before it waits for input (pipelining).</summary>
    private ValueTask ReplyAsync(SmtpReply reply, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _connection.Output.Write(reply.ToBytes());
        return ValueTask.CompletedTask;
    }

    private async ValueTask ReplyAndFlushAsync(SmtpReply reply, CancellationToken ct)
    {
        await ReplyAsync(reply, ct);
        await _connection.Output.FlushAsync(ct);
    }
}
