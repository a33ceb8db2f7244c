using System.Net;

namespace Vigil.Web;

/// <summary>Where the HTTPS server listens and which roles it serves. <see cref="ClientCertificates"/>,
/// when set, makes a client certificate signed by the admin's CA mandatory on the port.</summary>
public sealed record WebOptions(IPEndPoint EndPoint, bool FleetConsole, Security.Tls.ClientCertificateValidator? ClientCertificates = null)
{
    public long MaxRequestBodyBytes { get; init; } = Ops.Fleet.Messages.FleetJson.MaxMessageBytes;
}
