namespace Vigil.Host.Config;

/// <summary>Fleet role and reporting. Membership itself is not config: it is pinned by
/// <c>vigil fleet enroll</c> in <c>DATA/fleet/membership.json</c>.</summary>
public sealed class FleetConfig
{
    /// <summary>This instance is a fleet console: it accepts enrollments and heartbeats on the HTTP port.</summary>
    public bool Console { get; set; }

    public int HeartbeatSeconds { get; set; } = 60;

    /// <summary>Listener names meant to be reachable from other hosts (e.g. "smtp"); any other
    /// listener bound beyond loopback flags this instance EXPOSED on the console.</summary>
    public List<string> PublicListeners { get; set; } = [];
}
