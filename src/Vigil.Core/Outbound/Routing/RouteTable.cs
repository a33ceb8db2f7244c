namespace Vigil.Core.Outbound.Routing;

/// <summary>Picks the route for a recipient domain: its own entry first, then the <c>*</c>
/// default (a relayhost), else plain MX delivery with opportunistic TLS.</summary>
public sealed class RouteTable(IRouteStore store)
{
    public async Task<Route> FindAsync(string domain, CancellationToken ct) =>
        await store.GetAsync(domain, ct)
        ?? await store.GetAsync(Route.Default, ct)
        ?? new Route(domain, null, 0, null, null, TlsPolicy.Opportunistic);
}
