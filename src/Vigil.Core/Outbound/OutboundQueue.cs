using Microsoft.Extensions.Logging;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Model;

namespace Vigil.Core.Outbound;

/// <summary>Accepts remote recipients into the durable queue (the entry is committed before this
/// returns, so the SMTP 250 that follows is a promise kept) and wakes the runner.</summary>
public sealed partial class OutboundQueue(IQueueStore store, QueueSignal signal, TimeProvider clock, ILogger<OutboundQueue> logger) : IOutboundQueue
{
    public async Task EnqueueAsync(string queueId, BlobId blob, long size, Envelope envelope, IReadOnlyList<EnvelopeRecipient> remoteRecipients, CancellationToken ct)
    {
        if (remoteRecipients.Count == 0) throw new ArgumentException("A queue entry needs at least one recipient.", nameof(remoteRecipients));
        var recipients = new List<NewQueueRecipient>(remoteRecipients.Count);
        foreach (var r in remoteRecipients)
        {
            if (!EmailAddress.TryParse(r.Address, out var address)) throw new ArgumentException($"'{r.Address}' is not a deliverable address.", nameof(remoteRecipients));
            recipients.Add(new NewQueueRecipient(address.ToString(), address.Domain, r.Notify, r.OriginalRecipient));
        }
        if (!QueueIds.IsWellFormed(queueId)) throw new ArgumentException($"'{queueId}' is not a queue id.", nameof(queueId));
        var message = new QueuedMessage(queueId, blob, size, envelope with { Recipients = remoteRecipients }, clock.GetUtcNow());
        await store.AddAsync(message, recipients, ct);
        LogQueued(logger, queueId, envelope.MailFrom, recipients.Count, size);
        signal.Set();
    }

    [LoggerMessage(EventId = 5001, EventName = "queue.added", Level = LogLevel.Information, Message = "{QueueId} queued from=<{Sender}> recipients={Count} size={Size}")]
    private static partial void LogQueued(ILogger logger, string queueId, string sender, int count, long size);
}
