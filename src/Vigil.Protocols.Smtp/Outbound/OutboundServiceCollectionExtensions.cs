using DnsClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Dsn;
using Vigil.Core.Outbound.Routing;
using Vigil.Core.Submission;
using Vigil.Security.Dkim;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Registers outbound delivery. The stores (<see cref="IQueueStore"/>, <see cref="IRouteStore"/>,
/// <see cref="ISendPolicyStore"/>, <see cref="Core.Storage.IDkimKeyStore"/>) come from the host's storage choice.</summary>
public static class OutboundServiceCollectionExtensions
{
    /// <summary>What accepting mail for remote recipients needs, in the server and in the CLI: the
    /// queue (so <see cref="Core.Delivery.DeliveryService.CanRelay"/> is true), the route table,
    /// DKIM keys and the submission rules.</summary>
    public static IServiceCollection AddVigilOutbound(this IServiceCollection services, OutboundOptions options, int defaultMessagesPerHour)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<QueueSignal>();
        services.TryAddSingleton<OutboundPause>();
        services.AddSingleton<IOutboundQueue, OutboundQueue>();
        services.AddSingleton<RouteTable>();
        services.AddSingleton<DkimSigning>();
        services.AddSingleton<SenderRules>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton(sp => new SubmissionPolicy(sp.GetRequiredService<SenderRules>(), sp.GetRequiredService<ISendPolicyStore>(),
            sp.GetRequiredService<SendRateLimiter>(), defaultMessagesPerHour));
        return services;
    }

    /// <summary>The workers that empty the queue: only the running server has them.</summary>
    public static IServiceCollection AddVigilOutboundDelivery(this IServiceCollection services)
    {
        services.AddSingleton<ILookupClient>(sp => MxResolver.CreateClient(sp.GetRequiredService<OutboundOptions>().DnsServer, TimeSpan.FromSeconds(5)));
        services.AddSingleton<MxResolver>();
        services.AddSingleton<DeliveryPlanner>();
        services.AddSingleton<OutgoingMessage>();
        services.AddSingleton<IDeliveryAgent, SmtpDeliveryAgent>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<DsnReporter>();
        services.AddSingleton<QueueRunner>();
        services.AddHostedService<OutboundQueueService>();
        return services;
    }
}
