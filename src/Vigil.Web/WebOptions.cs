using System.Net;

namespace Vigil.Web;

/// <summary>Where the HTTPS server listens and which roles it serves.</summary>
public sealed record WebOptions(IPEndPoint EndPoint, bool FleetConsole)
{
    public long MaxRequestBodyBytes { get; init; } = Ops.Fleet.Messages.FleetJson.MaxMessageBytes;
}
