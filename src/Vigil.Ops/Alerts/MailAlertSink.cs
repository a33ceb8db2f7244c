using Microsoft.Extensions.Logging;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;

namespace Vigil.Ops.Alerts;

/// <summary>Mails each alert to the configured admin address through Vigil itself: stored like any
/// received message for a local address, queued for outbound delivery for a remote one. The null
/// sender is used, as for bounces, so an undeliverable alert never produces mail about mail.</summary>
public sealed partial class MailAlertSink(
    AlertOptions options,
    IBlobStore blobs,
    RecipientResolver recipients,
    DeliveryService delivery,
    ILogger<MailAlertSink> logger) : IAlertSink
{
    public async Task SendAsync(Alert alert, CancellationToken ct)
    {
        if (options.Email is null) return;
        if (!EmailAddress.TryParse(options.Email, out var to))
        {
            LogBadAddress(logger, options.Email);
            return;
        }
        var resolution = await recipients.ResolveAsync(to, ct);
        var local = resolution.Kind == RecipientKind.Resolved ? resolution.AccountIds : [];
        IReadOnlyList<EmailAddress> remote = resolution.Kind switch
        {
            RecipientKind.NotLocalDomain => [to],
            RecipientKind.Resolved => resolution.RemoteTargets,
            _ => [],
        };
        if (remote.Count > 0 && !delivery.CanRelay)
        {
            LogNoRelay(logger, string.Join(", ", remote));
            remote = [];
        }
        if (local.Count == 0 && remote.Count == 0)
        {
            LogUndeliverable(logger, options.Email, resolution.Kind.ToString());
            return;
        }

        var bytes = AlertMessage.Format(alert, options, to.ToString());
        await using var writer = blobs.CreateWriter();
        await writer.WriteAsync(bytes, ct);
        var blob = await writer.CommitAsync(ct);
        var rcpts = remote.Select(r => new EnvelopeRecipient(r.ToString(), DsnNotify.Never, null)).ToList();
        var envelope = new Envelope("", [new EnvelopeRecipient(to.ToString(), DsnNotify.Never, null)], null, DsnReturn.Headers, BodyType.EightBitMime, false, null, "127.0.0.1", options.Hostname);
        var queueId = QueueIds.New(); // the outbound queue takes only its own id format
        await delivery.DeliverAsync(new DeliveryRequest(queueId, blob, bytes.Length, envelope, local.ToList(), rcpts, alert.Time), ct);
    }

    [LoggerMessage(EventId = 10311, EventName = "alert.mail_bad_address", Level = LogLevel.Error, Message = "alerts.email '{Address}' is not an address; alert mail not sent")]
    private static partial void LogBadAddress(ILogger logger, string address);

    [LoggerMessage(EventId = 10312, EventName = "alert.mail_undeliverable", Level = LogLevel.Error, Message = "Alert mail to {Address} cannot be delivered ({Kind})")]
    private static partial void LogUndeliverable(ILogger logger, string address, string kind);

    [LoggerMessage(EventId = 10313, EventName = "alert.mail_no_relay", Level = LogLevel.Error, Message = "Alert mail to {Remote} needs outbound delivery, which is not configured")]
    private static partial void LogNoRelay(ILogger logger, string remote);
}
