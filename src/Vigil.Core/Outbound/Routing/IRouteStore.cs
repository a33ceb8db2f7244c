namespace Vigil.Core.Outbound.Routing;

/// <summary>The route table, kept in the store so <c>vigil route</c> changes apply to a running server.</summary>
public interface IRouteStore
{
    /// <summary>Adds or replaces the route for <see cref="Route.Domain"/>.</summary>
    Task SetAsync(Route route, CancellationToken ct);

    Task<Route?> GetAsync(string domain, CancellationToken ct);

    Task<IReadOnlyList<Route>> ListAsync(CancellationToken ct);

    Task<bool> RemoveAsync(string domain, CancellationToken ct);
}
