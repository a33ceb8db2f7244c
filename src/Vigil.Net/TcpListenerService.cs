using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Vigil.Core.Observability;
using Vigil.Security.Auth;
using Vigil.Security.Limits;
using Vigil.Security.Tls;

namespace Vigil.Net;

/// <summary>Accepts connections on one endpoint, applies the connection gates and limits, performs
/// implicit TLS where configured, and runs the protocol handler. Stopping closes the socket and
/// lets sessions drain until the grace period ends, then cancels them. Single sessions can be ended
/// on demand (<see cref="EndSessions"/>).</summary>
public sealed partial class TcpListenerService : IAsyncDisposable, ISessionControl
{
    private readonly ListenerOptions _options;
    private readonly IConnectionHandler _handler;
    private readonly TlsCertificateProvider? _tls;
    private readonly IReadOnlyList<IConnectionGate> _gates;
    private readonly ILogger _logger;
    private readonly ConnectionLimiter _limiter;
    private readonly WindowCounter<IPAddress> _refusalsLogged = new(TimeSpan.FromMinutes(1), 10_000, TimeProvider.System);
    private readonly ConcurrentDictionary<long, Session> _sessions = new();
    private readonly CancellationTokenSource _shutdown = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private long _nextId;

    public TcpListenerService(ListenerOptions options, IConnectionHandler handler, TlsCertificateProvider? tls, IReadOnlyList<IConnectionGate> gates, ILogger logger)
    {
        _options = options;
        _handler = handler;
        _tls = tls;
        _gates = gates;
        _logger = logger;
        _limiter = new ConnectionLimiter(options.MaxConnectionsPerIp, options.MaxConnections);
    }

    public string Name => _options.Name;
    public string Protocol => _handler.Protocol;
    public bool ImplicitTls => _options.ImplicitTls;
    public IPEndPoint? BoundEndPoint => _socket?.LocalEndPoint as IPEndPoint;
    public int ActiveSessions => _sessions.Count;

    public void Start()
    {
        var socket = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (_options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(_options.EndPoint);
        socket.Listen(512);
        _socket = socket;
        _acceptLoop = AcceptLoopAsync(socket);
        LogListening(_logger, _options.Name, _handler.Protocol, BoundEndPoint!.ToString(), _options.ImplicitTls);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_shutdown.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(_logger, _options.Name, ex.SocketErrorCode.ToString());
                continue;
            }
            var id = Interlocked.Increment(ref _nextId);
            var remote = ((IPEndPoint)client.RemoteEndPoint!).Address;
            var session = new Session(new SessionScope(_handler.Protocol, remote), CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token));
            _sessions[id] = session;
            session.Task = RunSessionAsync(client, session);
            _ = session.Task.ContinueWith(_ =>
            {
                _sessions.TryRemove(id, out Session? _);
                session.Cancellation.Dispose();
            }, TaskScheduler.Default);
        }
    }

    private async Task RunSessionAsync(Socket client, Session session)
    {
        await Task.Yield();
        SessionScope.Current = session.Scope;
        client.NoDelay = true;
        var remote = session.Scope.Remote;
        var ct = session.Cancellation.Token;
        var connection = new Connection(client, _options.Name);
        session.Connection = connection;
        connection.EndReason = session.EndReason;
        await using (connection)
        {
            try
            {
                var (gate, refusal) = _gates.Select(g => (Gate: g, Reason: g.Check(remote, _handler.Protocol))).FirstOrDefault(r => r.Reason is not null);
                using var lease = refusal is null ? _limiter.TryAcquire(remote) : null;
                if (refusal is null && lease is null) refusal = "too many connections";
                VigilMetrics.Connections.Add(1, new KeyValuePair<string, object?>("listener", _options.Name), new KeyValuePair<string, object?>("outcome", refusal is null ? "accepted" : "refused"));
                if (refusal is not null)
                {
                    // Under a flood, one log line per refused connection would itself be the
                    // bottleneck (the console logger blocks when its queue is full): log the first
                    // refusal of an address per minute; the metric counts them all.
                    if (_refusalsLogged.Add(remote) == 1) LogRefused(_logger, _options.Name, remote.ToString(), refusal);
                    // No TLS handshake for a refused client: it is the expensive part of a flood.
                    if (_options.ImplicitTls) return;
                    await connection.Output.WriteAsync(gate?.RefusesService == true ? _handler.UnavailableReply(refusal) : _handler.RefusalReply(refusal), ct);
                    await connection.Output.FlushAsync(ct);
                    return;
                }
                if (_options.ImplicitTls)
                {
                    await connection.StartTlsAsync(_tls!.ServerOptions(), _options.TlsHandshakeTimeout, ct);
                }
                await _handler.HandleAsync(connection, ct);
            }
            catch (OperationCanceledException) when (session.EndReason is { } reason && !_shutdown.IsCancellationRequested)
            {
                LogSessionEndedByAdmin(_logger, _options.Name, remote.ToString(), reason);
                await SayGoodbyeAsync(connection, reason);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                LogSessionEnded(_logger, _options.Name, remote.ToString(), ex.GetType().Name, ex.Message);
            }
#pragma warning disable CA1031 // one broken session must never take the listener down
            catch (Exception ex)
            {
                LogSessionCrashed(_logger, ex, _options.Name, remote.ToString());
            }
#pragma warning restore CA1031
        }
    }

    /// <summary>A session ended by an admin is told why in its protocol's words, best effort: the
    /// client may be gone or stuck, so this never waits long.</summary>
    private async Task SayGoodbyeAsync(Connection connection, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await connection.Output.WriteAsync(_handler.UnavailableReply(reason), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // nothing more to tell a client that cannot hear
        }
    }

    /// <summary>Stops accepting, waits up to <paramref name="grace"/> for sessions to finish, then cancels them.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _socket?.Close();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        var all = Task.WhenAll(_sessions.Values.Select(s => s.Task));
        if (await Task.WhenAny(all, Task.Delay(grace)) != all) await _shutdown.CancelAsync();
        try { await all.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
    }

    /// <inheritdoc />
    public int EndSessions(Func<SessionScope, bool> match, string reason)
    {
        var ended = 0;
        foreach (var session in _sessions.Values.Where(s => match(s.Scope)))
        {
            session.EndReason ??= reason;
            if (session.Connection is { } connection) connection.EndReason ??= reason;
            try
            {
                session.Cancellation.Cancel();
                ended++;
            }
            catch (ObjectDisposedException)
            {
                // it ended on its own meanwhile
            }
        }
        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        _shutdown.Dispose();
    }

    [LoggerMessage(EventId = 1001, EventName = "listener.started", Level = LogLevel.Information, Message = "Listener {Name} ({Protocol}) on {EndPoint}, implicit TLS {Tls}")]
    private static partial void LogListening(ILogger logger, string name, string protocol, string endPoint, bool tls);

    [LoggerMessage(EventId = 1002, EventName = "listener.refused", Level = LogLevel.Warning, Message = "Listener {Name} refused {Remote}: {Reason} (further refusals of this address within a minute are only counted)")]
    private static partial void LogRefused(ILogger logger, string name, string remote, string reason);

    [LoggerMessage(EventId = 1003, EventName = "listener.accept_failed", Level = LogLevel.Warning, Message = "Listener {Name} accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 1004, EventName = "session.ended", Level = LogLevel.Debug, Message = "{Name} session from {Remote} ended: {Kind} {Message}")]
    private static partial void LogSessionEnded(ILogger logger, string name, string remote, string kind, string message);

    [LoggerMessage(EventId = 1006, EventName = "session.ended_by_admin", Level = LogLevel.Information, Message = "{Name} session from {Remote} ended: {Reason}")]
    private static partial void LogSessionEndedByAdmin(ILogger logger, string name, string remote, string reason);

    /// <summary>One open session: who it is, the switch that ends it, and why it was ended.</summary>
    private sealed class Session(SessionScope scope, CancellationTokenSource cancellation)
    {
        public SessionScope Scope { get; } = scope;
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public Task Task { get; set; } = Task.CompletedTask;
        public string? EndReason { get; set; }
        public Connection? Connection { get; set; }
    }

    [LoggerMessage(EventId = 1005, EventName = "session.crashed", Level = LogLevel.Error, Message = "{Name} session from {Remote} failed")]
    private static partial void LogSessionCrashed(ILogger logger, Exception ex, string name, string remote);
}
