using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Net;
using Vigil.Protocols.Imap.Commands;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Writing;

namespace Vigil.Protocols.Imap.Session;

/// <summary>One IMAP connection: reads commands, keeps the state (RFC 9051 §3), runs each command
/// (one file per command in Commands/), then tells the client about changes to the selected
/// mailbox before the tagged completion.</summary>
public sealed partial class ImapSession
{
    /// <summary>Output is flushed once this much is buffered, so a client that pipelines without
    /// reading cannot make the server buffer without bound.</summary>
    private const int FlushThreshold = 64 * 1024;

    private readonly ILogger _logger;
    private readonly CommandReader _reader;
    private ImapResponseWriter _writer;
    private IDisposable? _subscription;
    private TaskCompletionSource? _wake;
    private int _errors;

    public ImapSession(Connection connection, ImapServerOptions options, ImapServices services)
    {
        Connection = connection;
        Options = options;
        Services = services;
        _logger = services.LoggerFactory.CreateLogger<ImapSession>();
        _writer = new ImapResponseWriter(connection.Output);
        _reader = new CommandReader(connection, options, services.Blobs) { AppendCheck = CheckAppendQuotaAsync };
    }

    public Connection Connection { get; }
    public ImapServerOptions Options { get; }
    public ImapServices Services { get; }
    public ImapState State { get; private set; } = ImapState.NotAuthenticated;
    public Account? Account { get; private set; }
    public SelectedMailbox? Selected { get; private set; }
    public Enabled Enabled { get; private set; }

    /// <summary>The last SEARCH ... RETURN (SAVE) result as UIDs (RFC 5182 "$").</summary>
    public IReadOnlyList<uint>? SavedSearch { get; set; }

    /// <summary>Failed LOGIN/AUTHENTICATE attempts in this session.</summary>
    public int AuthFailures { get; set; }

    internal ImapResponseWriter Writer
    {
        get
        {
            if (!ReferenceEquals(_writer.Output, Connection.Output)) _writer = new ImapResponseWriter(Connection.Output);
            _writer.Utf8 = Utf8On;
            return _writer;
        }
    }

    internal ILogger Logger => _logger;

    public bool Rev2 => (Enabled & Enabled.Imap4Rev2) != 0;
    public bool CondStoreOn => (Enabled & (Enabled.CondStore | Enabled.Qresync)) != 0;
    public bool QresyncOn => (Enabled & Enabled.Qresync) != 0;
    public bool Utf8On => (Enabled & (Enabled.Utf8Accept | Enabled.Imap4Rev2)) != 0;

    /// <summary>RFC 9051 §11.1 and DESIGN.md: no password over an unencrypted connection, except from loopback.</summary>
    public bool AuthAllowed => Connection.IsTls || (Options.AllowPlaintextAuthOnLoopback && Connection.IsLoopback);

    public bool CanStartTls => !Connection.IsTls && Services.Tls is not null;

    public bool CanCompress => !Connection.IsCompressed;

    public void Enable(Enabled extension) => Enabled |= extension;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            Writer.UntaggedStatus("OK", "CAPABILITY " + Capabilities.For(this), "Vigil IMAP ready");
            while (State != ImapState.Logout && !ct.IsCancellationRequested)
            {
                var timeout = State == ImapState.NotAuthenticated ? Options.PreAuthTimeout : Options.IdleTimeout;
                var read = await _reader.ReadAsync(timeout, ct);
                try
                {
                    if (!await HandleReadAsync(read, ct)) return;
                }
                finally
                {
                    foreach (var w in read.Spooled) await w.DisposeAsync();
                }
                if (Connection.Output.UnflushedBytes > FlushThreshold) await Connection.Output.FlushAsync(ct);
            }
            if (ct.IsCancellationRequested && State != ImapState.Logout)
            {
                Writer.UntaggedStatus("BYE", null, Connection.EndReason ?? "Server shutting down");
                await Connection.Output.FlushAsync(CancellationToken.None);
            }
        }
        finally
        {
            _subscription?.Dispose();
        }
    }

    /// <summary>False when the session must end.</summary>
    private async Task<bool> HandleReadAsync(CommandRead read, CancellationToken ct)
    {
        switch (read.Outcome)
        {
            case ReadOutcome.Closed:
                return false;
            case ReadOutcome.TimedOut:
                await ByeAsync("Autologout; idle for too long", ct);
                return false;
            case ReadOutcome.Abusive:
                await ByeAsync("Input exceeds the limits", ct);
                return false;
            case ReadOutcome.TooLong when read.Tag is null:
                // Without the tag the client could not match a BAD to its command: hang up cleanly.
                await ByeAsync("[TOOBIG] Line too long", ct);
                return false;
            case ReadOutcome.TooLong:
                return await ErrorAsync(read.Tag, CommandResult.Bad("Line too long", "TOOBIG"), ct);
            case ReadOutcome.Refused:
                var refused = new CommandResult(read.Status, read.Code, read.Text);
                return read.Status == "BAD" || read.Tag is null ? await ErrorAsync(read.Tag, refused, ct) : Complete(read.Tag, refused);
        }
        var parsed = CommandParser.Parse(read.Command!);
        if (!parsed.Ok)
        {
            var status = parsed.No ? CommandResult.No(parsed.Error!, parsed.Code) : CommandResult.Bad(parsed.Error!, parsed.Code);
            return parsed.No ? Complete(parsed.Tag!, status) : await ErrorAsync(parsed.Tag, status, ct);
        }
        var request = parsed.Request!;
        var result = StateError(request) ?? await ExecuteGuardedAsync(request, read.Spooled, ct);
        if (result.IsNone) return State != ImapState.Logout;
        if (result.Status == "BAD") return await ErrorAsync(request.Tag, result, ct);
        if (Selected is not null && State == ImapState.Selected && (Selected.Dirty || Selected.PendingExpunges.Count > 0))
        {
            if (!await MailboxSynchronizer.SyncAsync(this, ExpungeAllowedAfter(request), ct))
            {
                await ByeAsync("Selected mailbox was deleted", ct);
                return false;
            }
        }
        Complete(request.Tag, result);
        if (result.Close)
        {
            await Connection.Output.FlushAsync(ct);
            return false;
        }
        return true;
    }

    /// <summary>RFC 9051 §7.4.1: no EXPUNGE while responding to FETCH, STORE or SEARCH (nor SORT
    /// and THREAD, which also return sequence numbers); the UID forms are fine.</summary>
    private static bool ExpungeAllowedAfter(ImapRequest request) => request switch
    {
        FetchRequest f => f.Uid,
        StoreRequest s => s.Uid,
        SearchRequest s => s.Uid,
        SortRequest s => s.Uid,
        ThreadRequest t => t.Uid,
        _ => true,
    };

    private bool Complete(string tag, CommandResult result)
    {
        Writer.Tagged(tag, result.Status, result.Code, result.Text);
        return true;
    }

    /// <summary>Sends a BAD and counts it; false once the client has used up its errors.</summary>
    private async Task<bool> ErrorAsync(string? tag, CommandResult result, CancellationToken ct)
    {
        if (tag is null) Writer.UntaggedStatus("BAD", result.Code, result.Text);
        else Writer.Tagged(tag, result.Status, result.Code, result.Text);
        if (++_errors <= Options.MaxErrors) return true;
        await ByeAsync("Too many invalid commands", ct);
        return false;
    }

    internal async Task ByeAsync(string text, CancellationToken ct)
    {
        Writer.UntaggedStatus("BYE", null, text);
        await Connection.Output.FlushAsync(ct);
        State = ImapState.Logout;
    }

    private CommandResult? StateError(ImapRequest request)
    {
        var needs = request switch
        {
            SimpleRequest { Command: SimpleCommand.Capability or SimpleCommand.Noop or SimpleCommand.Logout } or IdRequest => (ImapState?)null,
            SimpleRequest { Command: SimpleCommand.StartTls } or LoginRequest or AuthenticateRequest => ImapState.NotAuthenticated,
            SimpleRequest { Command: SimpleCommand.Check or SimpleCommand.Close or SimpleCommand.Unselect or SimpleCommand.Expunge } => ImapState.Selected,
            FetchRequest or StoreRequest or SearchRequest or SortRequest or ThreadRequest or CopyRequest or UidExpungeRequest => ImapState.Selected,
            _ => ImapState.Authenticated,
        };
        if (needs is null || needs == State) return null;
        if (needs == ImapState.Authenticated && State == ImapState.Selected) return null;
        return needs switch
        {
            ImapState.NotAuthenticated => CommandResult.Bad("Already authenticated"),
            ImapState.Selected when State == ImapState.Authenticated => CommandResult.Bad("No mailbox selected"),
            _ => CommandResult.Bad("Log in first"),
        };
    }

    /// <summary>Runs a command; arguments found invalid while it runs (a sequence number beyond the
    /// mailbox) give BAD, and an unexpected failure gives NO [SERVERBUG] for this command only.</summary>
    private async Task<CommandResult> ExecuteGuardedAsync(ImapRequest request, IReadOnlyList<IBlobWriter> spooled, CancellationToken ct)
    {
        try
        {
            return await ExecuteAsync(request, spooled, ct);
        }
        catch (ImapParseException ex)
        {
            return CommandResult.Bad(ex.Message, ex.Code);
        }
#pragma warning disable CA1031 // one failing command must not take the session (or others) down
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException))
        {
            LogCommandFailed(_logger, ex, request.Name, Account?.Address ?? "-");
            return CommandResult.No("Internal server error", "SERVERBUG");
        }
#pragma warning restore CA1031
    }

    private Task<CommandResult> ExecuteAsync(ImapRequest request, IReadOnlyList<IBlobWriter> spooled, CancellationToken ct) => request switch
    {
        SimpleRequest { Command: SimpleCommand.Capability } => Task.FromResult(CapabilityCommand.Execute(this)),
        SimpleRequest { Command: SimpleCommand.Noop or SimpleCommand.Check } r => NoopCommand.ExecuteAsync(this, r, ct),
        SimpleRequest { Command: SimpleCommand.Logout } r => LogoutCommand.ExecuteAsync(this, r, ct),
        SimpleRequest { Command: SimpleCommand.StartTls } r => StartTlsCommand.ExecuteAsync(this, r, ct),
        SimpleRequest { Command: SimpleCommand.Namespace } => Task.FromResult(NamespaceCommand.Execute(this)),
        SimpleRequest { Command: SimpleCommand.Idle } r => IdleCommand.ExecuteAsync(this, r, ct),
        SimpleRequest { Command: SimpleCommand.Close or SimpleCommand.Unselect } r => CloseCommand.ExecuteAsync(this, r, ct),
        SimpleRequest { Command: SimpleCommand.Expunge } => ExpungeCommand.ExecuteAsync(this, null, ct),
        UidExpungeRequest r => ExpungeCommand.ExecuteAsync(this, r, ct),
        LoginRequest r => LoginCommand.ExecuteAsync(this, r, ct),
        AuthenticateRequest r => AuthenticateCommand.ExecuteAsync(this, r, ct),
        EnableRequest r => Task.FromResult(EnableCommand.Execute(this, r)),
        IdRequest r => Task.FromResult(IdCommand.Execute(this, r)),
        CompressRequest r => CompressCommand.ExecuteAsync(this, r, ct),
        SelectRequest r => SelectCommand.ExecuteAsync(this, r, ct),
        CreateRequest r => CreateCommand.ExecuteAsync(this, r, ct),
        DeleteRequest r => DeleteCommand.ExecuteAsync(this, r, ct),
        RenameRequest r => RenameCommand.ExecuteAsync(this, r, ct),
        SubscribeRequest r => SubscribeCommand.ExecuteAsync(this, r, ct),
        ListRequest r => ListCommand.ExecuteAsync(this, r, ct),
        LsubRequest r => LsubCommand.ExecuteAsync(this, r, ct),
        StatusRequest r => StatusCommand.ExecuteAsync(this, r, ct),
        AppendRequest r => AppendCommand.ExecuteAsync(this, r, spooled, ct),
        FetchRequest r => FetchCommand.ExecuteAsync(this, r, ct),
        StoreRequest r => StoreCommand.ExecuteAsync(this, r, ct),
        CopyRequest r => CopyCommand.ExecuteAsync(this, r, ct),
        SearchRequest r => SearchCommand.ExecuteAsync(this, r, ct),
        SortRequest r => SortCommand.ExecuteAsync(this, r, ct),
        ThreadRequest r => ThreadCommand.ExecuteAsync(this, r, ct),
        GetQuotaRequest r => QuotaCommand.GetQuotaAsync(this, r, ct),
        GetQuotaRootRequest r => QuotaCommand.GetQuotaRootAsync(this, r, ct),
        SetQuotaRequest => Task.FromResult(CommandResult.No("Quotas are set by the administrator", "NOPERM")),
        _ => Task.FromResult(CommandResult.Bad("Unknown command")),
    };

    /// <summary>Login succeeded: remember the account and start hearing about its mailboxes.</summary>
    internal void Authenticated(Account account)
    {
        Account = account;
        State = ImapState.Authenticated;
        _subscription = Services.Events.Subscribe(account.Id, OnMailboxChanged);
        LogLogin(_logger, account.Address, Connection.Remote.ToString());
    }

    internal void Select(SelectedMailbox mailbox)
    {
        Selected = mailbox;
        State = ImapState.Selected;
    }

    internal void Deselect()
    {
        Selected = null;
        SavedSearch = null;
        State = ImapState.Authenticated;
    }

    internal void Logout() => State = ImapState.Logout;

    /// <summary>Runs on the thread that made the change: only flags the view and wakes IDLE.</summary>
    private void OnMailboxChanged(MailboxChange change)
    {
        var selected = Selected;
        if (selected is null || selected.Id != change.MailboxId) return;
        // Our own flag changes were answered already; the next sync skips them (OwnChanges).
        if (ReferenceEquals(change.Origin, this) && change.Kind == MailboxChangeKind.FlagsChanged) return;
        selected.Dirty = true;
        Interlocked.Exchange(ref _wake, null)?.TrySetResult();
    }

    /// <summary>A task that completes at the next change of the selected mailbox (IDLE).</summary>
    internal Task WaitForChangeAsync()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _wake, tcs);
        if (Selected?.Dirty == true) Interlocked.Exchange(ref _wake, null)?.TrySetResult();
        return tcs.Task;
    }

    internal void StopWaiting() => Volatile.Write(ref _wake, null);

    /// <summary>RFC 9208 §4.1 / RFC 7889: refuse an APPEND literal the quota cannot take before it is sent.</summary>
    private async Task<(string Code, string Text)?> CheckAppendQuotaAsync(long size, CancellationToken ct)
    {
        if (Account is null) return null;
        var account = await Services.Directory.GetAccountByIdAsync(Account.Id, ct);
        if (account is { HasQuota: true } && account.UsedBytes + size > account.QuotaBytes) return ("OVERQUOTA", "Quota exceeded");
        return null;
    }

    [LoggerMessage(EventId = 4002, EventName = "imap.command_failed", Level = LogLevel.Error, Message = "IMAP {Command} of {User} failed")]
    private static partial void LogCommandFailed(ILogger logger, Exception ex, string command, string user);

    [LoggerMessage(EventId = 4001, EventName = "imap.login", Level = LogLevel.Debug, Message = "IMAP session of {User} from {Remote}")]
    private static partial void LogLogin(ILogger logger, string user, string remote);
}
