using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using Vigil.Core.Storage;
using Vigil.Ops.Advisories;
using Vigil.Ops.Build;
using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Member;

/// <summary>Gathers what a member reports about itself. Facts owned by features that are not
/// registered (lockdown, integrity, backups, store counts, the audit log, alerts) are reported as absent.</summary>
public sealed class HeartbeatFactory(
    FleetIdentity identity,
    FleetOptions options,
    BuildIdentity build,
    AdvisoryService advisories,
    IListenerInventory listeners,
    ActionResults results,
    TimeProvider time,
    IStoreStatistics? statistics = null,
    ILockdownFacts? lockdown = null,
    IIntegrityFacts? integrity = null,
    IBackupFacts? backup = null,
    AuditReporter? audit = null,
    Alerts.RecentAlerts? alerts = null)
{
    public async Task<Heartbeat> CreateAsync(CancellationToken ct)
    {
        var counts = statistics is null ? null : await statistics.CountAsync(ct);
        var raised = alerts is null ? null : await alerts.CurrentAsync(ct);
        return new Heartbeat(
            identity.Id,
            identity.InstanceId,
            identity.Hostname,
            time.GetUtcNow(),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            (int)Math.Max(1, options.HeartbeatInterval.TotalSeconds),
            BuildFacts(build),
            AdvisoryFacts(advisories.Assess()),
            identity.StartedAt,
            Listeners(listeners.Current(), options.PublicListeners),
            HostAddresses(),
            lockdown?.Current() is { } l ? l with { Reason = Printable(l.Reason) } : null,
            integrity?.Current() is { } i ? i with { Detail = Printable(i.Detail)! } : null,
            backup?.Current() is { } b ? b with { Detail = Printable(b.Detail)! } : null,
            counts is null ? null : new CountFacts(counts.Domains, counts.Accounts, counts.Messages),
            results.Recent(),
            audit is null ? null : await audit.CurrentAsync(ct),
            raised?.Select(a => new AlertFacts(a.Kind, Printable(a.Subject)!, Printable(a.Detail)!, a.Source, a.Time)).ToArray());
    }

    public static BuildFacts BuildFacts(BuildIdentity b) => new(b.Version, b.BuildNumber, b.Commit, b.BuildDate);

    public static AdvisoryFacts AdvisoryFacts(AdvisoryAssessment a) => new(
        a.Word,
        a.Feed.ToString().ToLowerInvariant(),
        a.FeedSerial,
        a.LastRefresh,
        a.Worst?.ToWire(),
        a.Affecting.Select(x => x.Id).ToArray(),
        Printable(a.LastError));

    /// <summary>Free text (error messages, reasons) without control characters: the console
    /// refuses a heartbeat that carries any, so a newline in an error must not silence a member.</summary>
    public static string? Printable(string? text) =>
        text is null ? null : new string(text.Take(500).Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    public static IReadOnlyList<ListenerFacts> Listeners(IEnumerable<ListenerEndpoint> bound, IReadOnlyList<string> declaredPublic) =>
        bound.Select(l => new ListenerFacts(l.Name, l.Protocol, l.Address, l.Port, l.Tls, IsBeyondLoopback(l.Address),
            declaredPublic.Contains(l.Name, StringComparer.OrdinalIgnoreCase))).ToArray();

    /// <summary>True when a listener bound to this address can be reached from another host: any
    /// address (0.0.0.0, ::) or a specific non-loopback one.</summary>
    public static bool IsBeyondLoopback(string address) => !IPAddress.TryParse(address, out var ip) || !IPAddress.IsLoopback(ip);

    /// <summary>This host's own unicast addresses (not loopback), so the console can tell which
    /// discovered endpoints belong to members listening on any address.</summary>
    public static IReadOnlyList<string> HostAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .Where(a => !IPAddress.IsLoopback(a) && a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
                .Select(a => a.ToString())
                .Distinct()
                .Take(64)
                .ToArray();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
