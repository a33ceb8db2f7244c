using System.Net;
using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>The ban table and the allow-list, persisted so bans survive a restart and so the CLI
/// and a running server see the same list.</summary>
public interface IBanStore
{
    /// <summary>Every ban row, active or expired (the expired ones are offence history).</summary>
    Task<IReadOnlyList<Ban>> ListBansAsync(CancellationToken ct);

    /// <summary>Inserts or replaces the row for <see cref="Ban.Network"/>.</summary>
    Task SaveBanAsync(Ban ban, CancellationToken ct);

    Task<bool> RemoveBanAsync(IPNetwork network, CancellationToken ct);

    /// <summary>Forgets bans that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PurgeBansAsync(DateTimeOffset cutoff, CancellationToken ct);

    Task<IReadOnlyList<BanExemption>> ListExemptionsAsync(CancellationToken ct);

    /// <summary>False when the network is already listed.</summary>
    Task<bool> AddExemptionAsync(BanExemption exemption, CancellationToken ct);

    Task<bool> RemoveExemptionAsync(IPNetwork network, CancellationToken ct);
}
