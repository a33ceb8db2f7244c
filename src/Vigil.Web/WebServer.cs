using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Vigil.Web;

/// <summary>Runs the HTTPS application inside the server's host, on the configured HTTP port.</summary>
public sealed class WebServer(WebOptions options, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The bound endpoint once started (the real port when configured with 0).</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    public WebApplication? App => _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _app = VigilWebApp.Build(options, services);
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetService(typeof(IServer)) is IServer server ? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() : null;
        var port = address is null ? options.EndPoint.Port : new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        BoundEndPoint = new IPEndPoint(options.EndPoint.Address, port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
