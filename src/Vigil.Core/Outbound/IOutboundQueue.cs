using Vigil.Core.Delivery;
using Vigil.Core.Model;

namespace Vigil.Core.Outbound;

/// <summary>The durable queue for mail leaving this server. Returns once the queue entry is on disk.</summary>
public interface IOutboundQueue
{
    /// <summary>Queues the message under <paramref name="queueId"/>, the id the SMTP reply and the
    /// Received field already named, so one id follows the message from DATA to the remote MX.</summary>
    Task EnqueueAsync(string queueId, BlobId blob, long size, Envelope envelope, IReadOnlyList<EnvelopeRecipient> remoteRecipients, CancellationToken ct);
}
