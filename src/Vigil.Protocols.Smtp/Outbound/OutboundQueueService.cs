using Microsoft.Extensions.Hosting;
using Vigil.Core.Outbound;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Runs the outbound queue for the life of the server. Stopping cancels the workers;
/// whatever they had not finished stays pending in the store and goes out after the next start.</summary>
public sealed class OutboundQueueService(QueueRunner runner) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runner.RunAsync(stoppingToken);
}
