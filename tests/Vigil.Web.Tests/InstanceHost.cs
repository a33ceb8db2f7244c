using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Host.Setup;
using Vigil.Web;

namespace Vigil.Web.Tests;

/// <summary>A real Vigil server in this process on a temp data directory, every port free (0).</summary>
public sealed class InstanceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private InstanceHost(DataDirectory data, VigilConfig config, IHost host)
    {
        Data = data;
        Config = config;
        _host = host;
    }

    public DataDirectory Data { get; }
    public VigilConfig Config { get; }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public Uri BaseUri => new($"https://127.0.0.1:{Get<WebServer>().BoundEndPoint!.Port}");

    public static async Task<InstanceHost> StartAsync(string hostname, bool console, Action<VigilConfig>? configure = null)
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "vigil-web-" + Guid.NewGuid().ToString("N")[..12]));
        var ports = new ListenerPorts { Smtp = 0, Submission = null, Submissions = null, Imap = null, Imaps = null, Pop3 = null, Pop3s = null, Http = 0, Metrics = null };
        var config = DataDirectoryInitializer.Initialize(data, hostname, "127.0.0.1", 0, ports);
        config.Fleet.Console = console;
        config.Fleet.HeartbeatSeconds = 1;
        configure?.Invoke(config);
        config.Save(data);
        var host = VigilServer.Build(data, config, l => l.SetMinimumLevel(LogLevel.Warning));
        await host.StartAsync();
        return new InstanceHost(data, config, host);
    }

    public static HttpClient AnonymousClient() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        AllowAutoRedirect = false,
    });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(Data.Root, recursive: true); } catch (IOException) { }
    }
}
