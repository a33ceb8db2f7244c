using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Web.Auth;

/// <summary>The short, explicit list of routes an anonymous caller may reach (DESIGN.md, the
/// CVE-2026-23760 lesson: deny by default). Anything else requires an authenticated, authorised
/// caller. The server refuses to start if a route allows anonymous access without being listed.</summary>
public static class AnonymousAllowList
{
    public static readonly IReadOnlySet<string> Routes = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET /health",
    };

    public static string Key(string method, string pattern) => $"{method} {pattern}";

    /// <summary>The routes that allow anonymous callers but are not on the list.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<EndpointDataSource> sources) =>
        sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => Key(m, "/" + e.RoutePattern.RawText?.TrimStart('/'))))
            .Where(k => !Routes.Contains(k))
            .ToArray();
}
