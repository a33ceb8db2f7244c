using Vigil.Core.Model;

namespace Vigil.Core.Delivery;

/// <summary>A received message, already committed as a blob, and where it must go.
/// <see cref="Quarantine"/> files it in each local recipient's Junk folder (DMARC p=quarantine).</summary>
public sealed record DeliveryRequest(
    string QueueId,
    BlobId Blob,
    long Size,
    Envelope Envelope,
    IReadOnlyCollection<long> LocalAccounts,
    IReadOnlyList<EnvelopeRecipient> RemoteRecipients,
    DateTimeOffset ReceivedAt,
    bool Quarantine = false);
