using Microsoft.Extensions.Hosting;
using Vigil.Core.Indexing;

namespace Vigil.Host.Hosting;

/// <summary>Runs the background full-text indexer for the life of the server (when the config
/// enables it) and owns the backlog gauge, which exists either way.</summary>
public sealed class TextIndexingService(BackgroundTextIndexer? indexer, TextIndexMetrics metrics) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        indexer is null ? Task.CompletedTask : RunAsync(indexer, stoppingToken);

    private static async Task RunAsync(BackgroundTextIndexer indexer, CancellationToken ct)
    {
        try
        {
            await indexer.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }

    public override void Dispose()
    {
        metrics.Dispose();
        base.Dispose();
    }
}
