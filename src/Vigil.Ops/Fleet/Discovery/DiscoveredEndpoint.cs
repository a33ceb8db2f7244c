using System.Net;

namespace Vigil.Ops.Fleet.Discovery;

/// <summary>A port that accepted a connection, with what it said and showed.</summary>
public sealed record DiscoveredEndpoint(IPAddress Address, int Port, string Service, string? Banner, string? TlsSubject, string? TlsSha256)
{
    /// <summary>Which instance this endpoint belongs to (null: nobody in the fleet, the forgotten server).</summary>
    public string? EnrolledAs { get; init; }
}
