using Vigil.Host.Config;
using Vigil.Ops;
using Vigil.Ops.Advisories;
using Vigil.Ops.Build;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Facts;
using Vigil.Web;

namespace Vigil.Host.Hosting;

/// <summary>Maps the instance config onto the advisory and fleet settings (issue 9).</summary>
public static class OpsRegistration
{
    public static BuildIdentity Build(BuildInfo b) => new(b.Version, b.BuildNumber, b.Commit, b.BuildDate);

    public static OpsSettings Settings(DataDirectory data, VigilConfig config) => new(
        data.Root,
        data.Advisories,
        data.Fleet,
        data.InstanceKeyFile,
        config.InstanceId,
        config.Hostname,
        Build(BuildInfo.Current),
        new AdvisoryOptions
        {
            Source = config.Advisories.Source,
            RefreshInterval = TimeSpan.FromMinutes(Math.Max(1, config.Advisories.RefreshMinutes)),
            WarnInterval = TimeSpan.FromMinutes(Math.Max(1, config.Advisories.WarnMinutes)),
            StaleAfter = TimeSpan.FromHours(Math.Max(1, config.Advisories.StaleHours)),
        },
        new FleetOptions
        {
            Console = config.Fleet.Console,
            HeartbeatInterval = TimeSpan.FromSeconds(Math.Max(1, config.Fleet.HeartbeatSeconds)),
            PublicListeners = config.Fleet.PublicListeners,
        });
}

/// <summary>The listeners this server has bound: the mail protocols and the HTTPS server.</summary>
public sealed class HostListenerInventory(ListenersHostedService listeners, WebServer? web = null) : IListenerInventory
{
    public IReadOnlyList<ListenerEndpoint> Current()
    {
        var bound = listeners.Listeners
            .Where(l => l.BoundEndPoint is not null)
            .Select(l => new ListenerEndpoint(l.Name, l.Protocol, l.BoundEndPoint!.Address.ToString(), l.BoundEndPoint.Port, l.ImplicitTls))
            .ToList();
        if (web?.BoundEndPoint is { } http) bound.Add(new ListenerEndpoint("http", "https", http.Address.ToString(), http.Port, true));
        return bound;
    }
}
