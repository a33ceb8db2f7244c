using Vigil.Core.Delivery;
using Vigil.Core.Model;

namespace Vigil.Core.Outbound;

/// <summary>The durable queue for mail leaving this server. Returns once the queue entry is on disk.</summary>
public interface IOutboundQueue
{
    Task<string> EnqueueAsync(BlobId blob, long size, Envelope envelope, IReadOnlyList<EnvelopeRecipient> remoteRecipients, CancellationToken ct);
}
