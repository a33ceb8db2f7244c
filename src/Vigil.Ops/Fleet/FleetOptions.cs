namespace Vigil.Ops.Fleet;

/// <summary>Fleet settings (<c>fleet</c> in vigil.json).</summary>
public sealed record FleetOptions
{
    /// <summary>This instance accepts enrollments and heartbeats and keeps the fleet view.</summary>
    public bool Console { get; init; }

    /// <summary>How often a member reports to its console.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Listener names the admin declares public; any other listener bound beyond
    /// loopback makes the instance EXPOSED.</summary>
    public IReadOnlyList<string> PublicListeners { get; init; } = [];

    /// <summary>How long a signed action (or a heartbeat) stays acceptable.</summary>
    public TimeSpan Freshness { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Missed intervals after which a member is SILENT.</summary>
    public int SilentAfterIntervals { get; init; } = 3;
}
