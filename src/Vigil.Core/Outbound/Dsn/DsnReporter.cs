using Microsoft.Extensions.Logging;
using MimeKit;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Storage;
using Vigil.Core.Messages;

namespace Vigil.Core.Outbound.Dsn;

/// <summary>The report stage (Postfix's "bounce"): for every queued message that owes its sender a
/// notice, builds the DSN, delivers it like any other mail (to the sender's INBOX when the sender
/// is local, through the queue otherwise, always from the null reverse-path so a DSN never causes
/// another), then clears the notices. A crash between the two steps repeats the DSN; it never
/// loses it, because the notice stays in the queue until the DSN is stored.</summary>
public sealed partial class DsnReporter(
    IQueueStore queue,
    IBlobStore blobs,
    RecipientResolver resolver,
    DeliveryService delivery,
    OutboundOptions options,
    TimeProvider clock,
    ILogger<DsnReporter> logger)
{
    private const int Batch = 100;

    /// <summary>Sends every owed DSN; returns how many were sent.</summary>
    public async Task<int> ReportPendingAsync(CancellationToken ct)
    {
        var sent = 0;
        while (true)
        {
            var entries = await queue.ListWithNoticesAsync(Batch, ct);
            if (entries.Count == 0) return sent;
            foreach (var entry in entries)
            {
                await ReportAsync(entry, ct);
                sent++;
            }
            if (entries.Count < Batch) return sent;
        }
    }

    private async Task ReportAsync(QueueEntry entry, CancellationToken ct)
    {
        var owed = entry.Recipients.Where(r => r.Progress.Notice is not null).ToList();
        var message = entry.Message;
        if (!message.Envelope.IsNullSender && EmailAddress.TryParse(message.Envelope.MailFrom, out var sender))
        {
            var dsn = Build(message, owed);
            await DeliverAsync(message.Id, sender, dsn, ct);
            LogReported(logger, message.Id, message.Envelope.MailFrom, string.Join(',', owed.Select(r => $"{r.Address}:{r.Progress.Notice}")));
        }
        var cleared = owed.Select(r => new RecipientUpdate(r.Id, r.Progress with { Notice = null })).ToList();
        await queue.ApplyAsync(cleared, ct);
    }

    private MimeMessage Build(QueuedMessage message, IReadOnlyList<QueueRecipient> owed)
    {
        var failure = owed.Any(r => r.Progress.Notice == DsnAction.Failed);
        MimeEntity? original = null;
        using (var stream = blobs.OpenRead(message.Blob))
        {
            if (stream is not null) original = ReturnedContent.Create(stream, message.Size, message.Envelope.Ret, failure, options.MaxReturnedMessageBytes);
            if (original is MessagePart { Message: { } loaded } part) part.Message = CloneDetached(loaded);
        }
        var recipients = owed.Select(r => new DsnRecipient(r.Address, r.OriginalRecipient, r.Progress.Notice!.Value, r.Progress.Status ?? "4.0.0", r.Progress.RemoteMta, r.Progress.LastError, r.Progress.LastAttempt)).ToList();
        return DsnBuilder.Build(new DsnContent(options.Hostname, message.Id, message.Envelope, message.Created,
            message.Created + options.MaxAge, recipients, original));
    }

    // A message loaded from a stream still reads it lazily; copy it so the file can be closed now.
    private static MimeMessage CloneDetached(MimeMessage loaded)
    {
        var copy = new MemoryStream();
        loaded.WriteTo(WireFormat.Options, copy);
        copy.Position = 0;
        return MimeLimits.ParseMessage(copy, persistent: false);
    }

    private async Task DeliverAsync(string queueId, EmailAddress sender, MimeMessage dsn, CancellationToken ct)
    {
        await using var writer = blobs.CreateWriter();
        using (var bytes = new MemoryStream())
        {
            // RFC 5321 §4.4: a DSN travels from the null reverse-path; the local copy records it the
            // way SMTP final delivery does (the outbound client strips it again).
            bytes.Write("Return-Path: <>\r\n"u8);
            dsn.WriteTo(WireFormat.Options, bytes, ct);
            await writer.WriteAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), ct);
        }
        var blob = await writer.CommitAsync(ct);

        var resolution = await resolver.ResolveAsync(sender, ct);
        var recipient = new EnvelopeRecipient(sender.ToString(), DsnNotify.Never, null);
        IReadOnlyList<long> local = [];
        List<EnvelopeRecipient> remote = [];
        switch (resolution.Kind)
        {
            case RecipientKind.NotLocalDomain:
                remote.Add(recipient);
                break;
            case RecipientKind.Resolved:
                local = resolution.AccountIds;
                remote.AddRange(resolution.RemoteTargets.Select(t => new EnvelopeRecipient(t.ToString(), DsnNotify.Never, "rfc822;" + sender)));
                break;
            default:
                LogSenderUnknown(logger, queueId, sender.ToString());
                return;
        }
        if (remote.Count > 0 && !delivery.CanRelay) remote.Clear();
        var envelope = new Envelope("", [recipient], null, DsnReturn.Default, BodyType.EightBitMime, false, null, "127.0.0.1", options.Hostname);
        await delivery.DeliverAsync(new DeliveryRequest(QueueIds.New(), blob, writer.Length, envelope, local.ToList(), remote, clock.GetUtcNow()), ct);
    }

    [LoggerMessage(EventId = 5101, EventName = "queue.dsn_sent", Level = LogLevel.Information, Message = "{QueueId} DSN to <{Sender}>: {Recipients}")]
    private static partial void LogReported(ILogger logger, string queueId, string sender, string recipients);

    [LoggerMessage(EventId = 5102, EventName = "queue.dsn_undeliverable", Level = LogLevel.Warning, Message = "{QueueId} DSN dropped: the local sender <{Sender}> no longer exists")]
    private static partial void LogSenderUnknown(ILogger logger, string queueId, string sender);
}
