using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Host.Config;
using Vigil.Host.Hosting;

namespace Vigil.Host.Cli;

/// <summary>What a CLI command works with: the data directory, its config and the mail core on
/// the embedded store (WAL lets the CLI write while the server runs).</summary>
public sealed class CliContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliContext(DataDirectory data, VigilConfig config, ServiceProvider services)
    {
        Data = data;
        Config = config;
        _services = services;
    }

    public DataDirectory Data { get; }
    public VigilConfig Config { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static CliContext Open(string? dataOption)
    {
        var data = new DataDirectory(DataDirectory.Resolve(dataOption) ?? throw new UserErrorException("no data directory: pass --data DIR or set VIGIL_DATA"));
        var config = VigilConfig.Load(data);
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddVigilCore(data, config)
            .BuildServiceProvider();
        return new CliContext(data, config, services);
    }

    /// <summary>Records a privileged change made from the command line.</summary>
    public Task AuditAsync(string action, string target, CancellationToken ct, IReadOnlyDictionary<string, string>? details = null) =>
        Get<IAuditLog>().AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, Environment.UserName, "cli", action, target, details), ct);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
