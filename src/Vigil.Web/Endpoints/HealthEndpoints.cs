using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Web.Endpoints;

/// <summary><c>GET /health</c>: "ok" and nothing else (no version: that is for authenticated callers).</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", () => Results.Text("ok\n")).AllowAnonymous();
}
