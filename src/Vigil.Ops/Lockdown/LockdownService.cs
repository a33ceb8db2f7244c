using Vigil.Core.Audit;

namespace Vigil.Ops.Lockdown;

/// <summary>Engages and lifts the lockdown, the same way from the CLI, the fleet console or an
/// automatic integrity response: persist it, audit it, and (in the server) apply it at once.</summary>
public sealed class LockdownService(LockdownStore store, IAuditLog audit, LockdownMonitor? monitor = null)
{
    public LockdownState? Current => store.Read();

    public async Task<LockdownState> EngageAsync(string reason, IReadOnlyList<string> allow, string actor, string source, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("a lockdown needs a reason", nameof(reason));
        var networks = LockdownState.ParseNetworks(allow); // validates before anything is written
        var state = new LockdownState(OneLine(reason), networks.Select(n => n.ToString()).ToList(), DateTimeOffset.UtcNow, actor, source);
        store.Write(state);
        await audit.AppendAsync(new AuditEvent(state.Since, actor, source, "lockdown.on", "instance", new Dictionary<string, string>
        {
            ["reason"] = state.Reason,
            ["allow"] = string.Join(',', state.Allow),
        }), ct);
        monitor?.Refresh();
        return state;
    }

    /// <summary>Returns false when there was no lockdown to lift.</summary>
    public async Task<bool> LiftAsync(string actor, string source, CancellationToken ct)
    {
        var previous = store.Read();
        if (!store.Clear()) return false;
        await audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, actor, source, "lockdown.off", "instance", new Dictionary<string, string>
        {
            ["was"] = previous?.Reason ?? "",
        }), ct);
        monitor?.Refresh();
        return true;
    }

    /// <summary>The reason ends up in protocol replies: one line, bounded.</summary>
    private static string OneLine(string text)
    {
        var line = new string(text.Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return line.Length <= 200 ? line : line[..200];
    }
}
