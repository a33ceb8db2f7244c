using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Core.Audit;
using Vigil.Security.Audit;
using Vigil.Security.Keys;

namespace Vigil.Ops.Audit;

/// <summary>Registers the audit log (signed with the registered <see cref="InstanceKey"/>) and the
/// checkpoint written when the server stops.</summary>
public static class AuditServices
{
    public static IServiceCollection AddVigilAudit(this IServiceCollection services, string directory, int checkpointEvery, int rotateMegabytes)
    {
        services.AddSingleton(sp => new JsonlAuditLog(
            new AuditLogOptions(directory) { CheckpointEvery = checkpointEvery, RotateBytes = rotateMegabytes * 1024L * 1024 },
            sp.GetRequiredService<InstanceKey>()));
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<JsonlAuditLog>());
        services.AddSingleton<IAuditCheckpointSource>(sp => sp.GetRequiredService<JsonlAuditLog>());
        // Registered with the core services, so it is among the first hosted services to start and
        // the last to stop: the checkpoint covers everything audited during shutdown.
        services.AddHostedService<AuditCheckpointOnStop>();
        return services;
    }
}

/// <summary>Signs a checkpoint over the tail of the audit log when the server stops, so a tail cut
/// off while the server was down is caught by <c>vigil audit verify</c>.</summary>
public sealed class AuditCheckpointOnStop(JsonlAuditLog log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => log.CheckpointAsync(CancellationToken.None);
}
