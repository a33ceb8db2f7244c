using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Host.Config;
using Vigil.Net;
using Vigil.Security.Tls;

namespace Vigil.Host.Hosting;

/// <summary>Opens every configured listener at start, writes <c>run/status.json</c> (what
/// <c>vigil status</c> and tests read), and drains sessions at stop.</summary>
public sealed class ListenersHostedService(
    IEnumerable<ListenerDefinition> definitions,
    IEnumerable<IConnectionGate> gates,
    IServiceProvider services,
    VigilConfig config,
    DataDirectory data,
    TlsCertificateProvider tls,
    SessionDirectory sessions,
    ILoggerFactory loggers,
    Vigil.Web.WebServer? web = null) : IHostedService
{
    private readonly List<TcpListenerService> _listeners = [];

    public IReadOnlyList<TcpListenerService> Listeners => _listeners;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var bind = IPAddress.Parse(config.Bind);
        var gateList = gates.ToList();
        foreach (var d in definitions.Where(d => d.Port is not null))
        {
            var options = new ListenerOptions(d.Name, new IPEndPoint(bind, d.Port!.Value), d.ImplicitTls,
                d.MaxConnectionsPerIp ?? config.Smtp.MaxConnectionsPerIp, d.MaxConnections ?? config.Smtp.MaxConnections, TimeSpan.FromSeconds(30));
            var listener = new TcpListenerService(options, d.Handler(services), tls, gateList, loggers.CreateLogger("Vigil.Listener"));
            try
            {
                listener.Start();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new UserErrorException($"cannot listen on {options.EndPoint} for {d.Name}: {ex.Message}");
            }
            _listeners.Add(listener);
            sessions.Add(listener);
        }
        WriteStatus();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_listeners.Select(l => l.StopAsync(TimeSpan.FromSeconds(10))));
        try { File.Delete(data.StatusFile); } catch (IOException) { }
    }

    private void WriteStatus()
    {
        Directory.CreateDirectory(data.Run);
        var status = new RunStatus(
            Environment.ProcessId,
            DateTimeOffset.UtcNow,
            BuildInfo.Current,
            _listeners.Select(l => new RunListener(l.Name, l.Protocol, l.BoundEndPoint!.Address.ToString(), l.BoundEndPoint.Port, l.ImplicitTls))
                .Concat(web?.BoundEndPoint is { } http ? [new RunListener("http", "https", http.Address.ToString(), http.Port, true)] : [])
                .ToList());
        var tmp = data.StatusFile + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(status, VigilConfig.Json));
        File.Move(tmp, data.StatusFile, overwrite: true);
    }
}

/// <summary>The running server's self-description in <c>run/status.json</c>.</summary>
public sealed record RunStatus(int Pid, DateTimeOffset Started, BuildInfo Build, IReadOnlyList<RunListener> Listeners);

/// <summary>One bound listener.</summary>
public sealed record RunListener(string Name, string Protocol, string Address, int Port, bool ImplicitTls);
