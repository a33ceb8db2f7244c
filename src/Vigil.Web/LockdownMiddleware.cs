using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Ops.Lockdown;

namespace Vigil.Web;

/// <summary>While the instance is locked down, every HTTP request gets 503 with a Retry-After,
/// except from the admin networks the lockdown allows (<c>vigil lockdown on --allow CIDR</c>).
/// It runs before authentication, so nothing behind it is reachable during a lockdown.</summary>
public static class LockdownMiddleware
{
    public static IApplicationBuilder UseLockdown(this IApplicationBuilder app, IServiceProvider server)
    {
        var monitor = server.GetService<LockdownMonitor>();
        if (monitor is null) return app;
        return app.Use(async (context, next) =>
        {
            var state = monitor.Current;
            var remote = context.Connection.RemoteIpAddress;
            if (state is null || (remote is not null && state.Allows(remote)))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "300";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(state.ClientMessage + "\n", context.RequestAborted);
        });
    }
}
