using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Host.Hosting;

/// <summary>Builds the running server (used by <c>vigil serve</c> and by in-process tests).</summary>
public static class VigilServer
{
    /// <param name="overrides">Runs after every registration (tests replace a service with a recording one).</param>
    public static IHost Build(DataDirectory data, VigilConfig config, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? overrides = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        logging?.Invoke(builder.Logging);
        builder.Services.AddVigilCore(data, config);
        builder.Services.AddVigilServer(data, config);
        builder.Services.AddVigilMetrics(config);
        overrides?.Invoke(builder.Services);
        var host = builder.Build();
        var blobs = host.Services.GetRequiredService<FileBlobStore>();
        // Data directories from before the one-level blob layout are moved over once.
        blobs.MigrateTwoLevelLayout();
        // Anything in blobs/tmp was never committed (a crash mid-DATA): it is not mail, remove it.
        blobs.CleanTemp();
        return host;
    }
}
