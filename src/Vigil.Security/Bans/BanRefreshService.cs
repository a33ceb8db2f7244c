using Microsoft.Extensions.Hosting;

namespace Vigil.Security.Bans;

/// <summary>Loads the ban table before the listeners open (so a restart never lets a banned client
/// in), re-reads it periodically to see the CLI's changes, and at shutdown waits for new bans to be
/// saved.</summary>
public sealed class BanRefreshService(BanList bans, AutoBanner banner) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await bans.RefreshAsync(cancellationToken);
        _loop = bans.RunRefreshLoopAsync(_stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
        await banner.DrainAsync().WaitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
