using System.Globalization;
using System.Net;
using Vigil.Core.Audit;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Security.Bans;

/// <summary>The admin's operations on bans and the allow-list (<c>vigil ban ...</c>, later the web
/// console). Every change is written to the audit log: an exemption is a hole in the defences, so
/// who opened it and when must be on record.</summary>
public sealed class BanAdministration(IBanStore store, IAuditLog audit, TimeProvider time, BanList? live = null)
{
    public async Task<IReadOnlyList<Ban>> ListActiveAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return (await store.ListBansAsync(ct)).Where(b => b.IsActive(now)).OrderBy(b => b.Created).ToList();
    }

    public Task<IReadOnlyList<BanExemption>> ListExemptionsAsync(CancellationToken ct) => store.ListExemptionsAsync(ct);

    /// <summary>Bans a network for <paramref name="duration"/>, or until removed when null.</summary>
    public async Task<Ban> BanAsync(IPNetwork network, TimeSpan? duration, string reason, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ban = new Ban(network, reason, BanSource.Admin, now, duration is null ? null : now + duration.Value, 1);
        await store.SaveBanAsync(ban, ct);
        live?.Apply(ban);
        await audit.AppendAsync(new AuditEvent(now, actor.Name, actor.Source, "ban.add", network.ToString(), new Dictionary<string, string>
        {
            ["reason"] = reason,
            ["expires"] = ban.Expires?.ToString("O", CultureInfo.InvariantCulture) ?? "never",
        }), ct);
        return ban;
    }

    public async Task<bool> UnbanAsync(IPNetwork network, AuditActor actor, CancellationToken ct)
    {
        var removed = await store.RemoveBanAsync(network, ct);
        live?.Forget(network);
        if (removed) await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), actor.Name, actor.Source, "ban.remove", network.ToString()), ct);
        return removed;
    }

    public async Task<bool> AllowAsync(IPNetwork network, string note, AuditActor actor, CancellationToken ct)
    {
        var exemption = new BanExemption(network, note, actor.Name, time.GetUtcNow());
        if (!await store.AddExemptionAsync(exemption, ct)) return false;
        live?.Apply(exemption);
        await audit.AppendAsync(new AuditEvent(exemption.Created, actor.Name, actor.Source, "ban.allow.add", network.ToString(),
            new Dictionary<string, string> { ["note"] = note }), ct);
        return true;
    }

    public async Task<bool> DisallowAsync(IPNetwork network, AuditActor actor, CancellationToken ct)
    {
        if (!await store.RemoveExemptionAsync(network, ct)) return false;
        live?.ForgetExemption(network);
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), actor.Name, actor.Source, "ban.allow.remove", network.ToString()), ct);
        return true;
    }
}

/// <summary>Who made an admin change and through what (for the audit log).</summary>
public sealed record AuditActor(string Name, string Source);
