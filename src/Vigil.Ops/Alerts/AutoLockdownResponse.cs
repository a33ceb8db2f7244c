using Vigil.Ops.Lockdown;

namespace Vigil.Ops.Alerts;

/// <summary>The configurable response: with <see cref="AlertOptions.AutoLockdown"/>, a program-file
/// change or a mass rewrite of blobs locks the instance down at once (docs/incident-response.md).</summary>
public sealed class AutoLockdownResponse(AlertOptions options, LockdownService lockdown) : IAlertSink
{
    public async Task SendAsync(Alert alert, CancellationToken ct)
    {
        if (!options.AutoLockdown || !AlertKinds.TriggersLockdown(alert.Kind) || lockdown.Current is not null) return;
        await lockdown.EngageAsync($"integrity alert ({alert.Kind})", [], "vigil", alert.Source, ct);
    }
}
