using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Security.Bans;

/// <summary>The server's in-memory view of the ban table and the allow-list, checked on every
/// accepted connection and every login. Bans placed here are written to the store at once;
/// <see cref="RefreshAsync"/> picks up what the CLI changed in the store.</summary>
public sealed partial class BanList(IBanStore store, AutoBanOptions options, TimeProvider time, ILogger<BanList> logger)
{
    private readonly NetworkMap<Ban> _bans = new();
    private readonly NetworkMap<BanExemption> _exempt = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public IReadOnlyCollection<Ban> Bans => _bans.Entries.Select(e => e.Value).ToList();

    /// <summary>True when an admin listed a network containing <paramref name="address"/>.</summary>
    public bool IsExempt(IPAddress address) => _exempt.TryFind(address, out _, out _);

    /// <summary>The ban in force for <paramref name="address"/>, or null. Exempt networks are never banned.</summary>
    public Ban? FindActive(IPAddress address)
    {
        if (!_bans.TryFind(address, out _, out var ban) || !ban.IsActive(time.GetUtcNow())) return null;
        return IsExempt(address) ? null : ban;
    }

    /// <summary>Re-reads bans and exemptions from the store, and forgets history older than
    /// <see cref="AutoBanOptions.ForgetAfter"/>.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            await store.PurgeBansAsync(time.GetUtcNow() - options.ForgetAfter, ct);
            var bans = await store.ListBansAsync(ct);
            var exemptions = await store.ListExemptionsAsync(ct);
            Replace(_bans, bans.Select(b => KeyValuePair.Create(b.Network, b)));
            Replace(_exempt, exemptions.Select(e => KeyValuePair.Create(e.Network, e)));
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Re-reads every <see cref="AutoBanOptions.RefreshInterval"/> until cancelled; a store
    /// error is logged and retried at the next tick, the last good list stays in force.</summary>
    public async Task RunRefreshLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await RefreshAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Bans <paramref name="network"/> for a repeat-offence-grown time and saves it. The ban
    /// is in force in this process at once, even if the store cannot be written.</summary>
    public async Task<Ban> BanAutomaticallyAsync(IPNetwork network, string reason, CancellationToken ct)
    {
        // Serialised with RefreshAsync, so a reload that read the store just before this save
        // cannot drop the new ban from memory.
        await _refresh.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            var offenses = 1;
            if (_bans.TryGet(network, out var previous))
            {
                if (previous.IsActive(now)) return previous; // never shorten a ban, the admin's included
                if (previous.Expires + options.ForgetAfter > now) offenses = previous.Offenses + 1;
            }
            var ban = new Ban(network, reason, BanSource.Automatic, now, now + options.BanLength(offenses), offenses);
            _bans.Set(network, ban);
            LogBanned(logger, network.ToString(), ban.Expires!.Value, offenses, reason);
            await store.SaveBanAsync(ban, ct);
            return ban;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Applies a change the admin made through <see cref="BanAdministration"/> in this
    /// process, without waiting for the next refresh.</summary>
    internal void Apply(Ban ban) => _bans.Set(ban.Network, ban);

    internal void Forget(IPNetwork network) => _bans.Remove(network);

    internal void Apply(BanExemption exemption) => _exempt.Set(exemption.Network, exemption);

    internal void ForgetExemption(IPNetwork network) => _exempt.Remove(network);

    private static void Replace<T>(NetworkMap<T> map, IEnumerable<KeyValuePair<IPNetwork, T>> entries)
    {
        var fresh = entries.ToDictionary(e => e.Key, e => e.Value);
        foreach (var (network, _) in map.Entries.ToList())
        {
            if (!fresh.ContainsKey(network)) map.Remove(network);
        }
        foreach (var (network, value) in fresh) map.Set(network, value);
    }

    [LoggerMessage(EventId = 3101, EventName = "ban.added", Level = LogLevel.Warning, Message = "Banned {Network} until {Expires:O} (offence {Offenses}): {Reason}")]
    private static partial void LogBanned(ILogger logger, string network, DateTimeOffset expires, int offenses, string reason);

    [LoggerMessage(EventId = 3102, EventName = "ban.refresh_failed", Level = LogLevel.Error, Message = "Could not re-read the ban table; keeping the current list")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
