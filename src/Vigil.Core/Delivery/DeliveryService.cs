using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;

namespace Vigil.Core.Delivery;

/// <summary>Stores an accepted message for every local recipient (one durable commit, shared with
/// concurrent deliveries), hands remote recipients to the outbound queue, then notifies sessions.</summary>
public sealed partial class DeliveryService(
    IMessageStore messages,
    IBlobStore blobs,
    MailboxEvents events,
    ILogger<DeliveryService> logger,
    IOutboundQueue? outbound = null)
{
    public bool CanRelay => outbound is not null;

    public async Task DeliverAsync(DeliveryRequest request, CancellationToken ct)
    {
        if (request.RemoteRecipients.Count > 0)
        {
            if (outbound is null) throw new InvalidOperationException("No outbound queue is configured.");
            await outbound.EnqueueAsync(request.QueueId, request.Blob, request.Size, request.Envelope, request.RemoteRecipients, ct);
        }
        if (request.LocalAccounts.Count == 0) return;

        // Parsed once here for every recipient: IMAP FETCH and SEARCH read the summary, never the
        // blob. The full-text index is filled later, off the path to the 250 (TextIndexer).
        var summary = BlobIndexer.Summarize(blobs, request.Blob);
        var subject = summary.Envelope.SubjectText;
        var envelopeJson = JsonSerializer.Serialize(request.Envelope, EnvelopeJson.Options);
        var batch = new List<NewMessage>(request.LocalAccounts.Count);
        foreach (var a in request.LocalAccounts)
        {
            var mailbox = request.Quarantine ? await JunkMailboxAsync(a, ct) : Mailbox.Inbox;
            batch.Add(new NewMessage(a, mailbox, request.Blob, request.Size, request.ReceivedAt, MessageFlags.None, [], subject, envelopeJson, summary));
        }
        var appended = await messages.AppendAsync(batch, ct);
        foreach (var m in appended)
        {
            events.Publish(new MailboxChange(m.AccountId, m.MailboxId, MailboxChangeKind.Appended, [m.Uid], m.ModSeq));
        }
        LogDelivered(logger, request.QueueId, appended.Count, request.Size);
    }

    /// <summary>The account's \Junk mailbox (RFC 6154), whatever it is called; the Inbox if it has none.</summary>
    private async Task<string> JunkMailboxAsync(long accountId, CancellationToken ct)
    {
        var mailboxes = await messages.ListMailboxesAsync(accountId, ct);
        return (mailboxes.FirstOrDefault(m => m.SpecialUse == @"\Junk") ?? mailboxes.FirstOrDefault(m => m.Name == "Junk"))?.Name ?? Mailbox.Inbox;
    }

    [LoggerMessage(EventId = 2001, EventName = "delivery.stored", Level = LogLevel.Debug, Message = "{QueueId} stored for {Count} local mailbox(es), {Size} bytes")]
    private static partial void LogDelivered(ILogger logger, string queueId, int count, long size);
}

/// <summary>How envelopes are serialised next to stored messages.</summary>
public static class EnvelopeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
