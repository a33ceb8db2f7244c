using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Vigil.Core.Observability;
using Vigil.Host.Config;

namespace Vigil.Host.Hosting;

/// <summary>Exports the "Vigil" meter in Prometheus text format on <c>http://127.0.0.1:PORT/metrics</c>.
/// It is a separate loopback-only listener with read-only counters and no secrets, so it sits on
/// the short allow-list of unauthenticated endpoints (DESIGN.md: deny by default); scrape it from the
/// host or through a tunnel, never expose it.</summary>
public static class MetricsRegistration
{
    public static IServiceCollection AddVigilMetrics(this IServiceCollection services, VigilConfig config)
    {
        if (config.Ports.Metrics is not { } port) return services;
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(VigilMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return services;
    }
}
