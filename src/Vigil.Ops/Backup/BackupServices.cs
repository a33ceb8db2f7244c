using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Scheduling;

namespace Vigil.Ops.Backup;

/// <summary>Registers the backup feature: the runner the CLI uses, the state and status
/// (<see cref="IBackupStatus"/> for the fleet heartbeat), and metrics; with
/// <see cref="AddVigilBackupSchedule"/>, the server's scheduled job.</summary>
public static class BackupServices
{
    public static IServiceCollection AddVigilBackup(this IServiceCollection services, BackupSettings settings, string stateFile, Func<IServiceProvider, BackupSource> source)
    {
        services.AddSingleton(settings);
        services.AddSingleton(new BackupStateStore(stateFile));
        services.AddSingleton<IBackupStatus, BackupStatus>();
        services.AddSingleton<Fleet.Facts.IBackupFacts, BackupFleetFacts>();
        services.AddSingleton(source);
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<BackupMetrics>();
        return services;
    }

    public static IServiceCollection AddVigilBackupSchedule(this IServiceCollection services)
    {
        services.AddHostedService<BackupScheduler>();
        // Resolving the metrics with the server makes the meter exist for exporters from the start.
        services.AddHostedService(sp => new MetricsActivation(sp.GetRequiredService<BackupMetrics>()));
        return services;
    }

    private sealed class MetricsActivation(BackupMetrics metrics) : IHostedService
    {
        public BackupMetrics Metrics { get; } = metrics; // resolving it creates the gauges
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
