using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The HTTPS server on the configured HTTP port.</summary>
    public static IServiceCollection AddVigilWeb(this IServiceCollection services, WebOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<WebServer>();
        services.AddHostedService(sp => sp.GetRequiredService<WebServer>());
        return services;
    }
}
