using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using Vigil.Core.Delivery;
using Envelope = Vigil.Core.Delivery.Envelope;
using Vigil.Core.Outbound;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>MailKit's client with the hooks an MTA needs: the RFC 3461 parameters of each queued
/// recipient passed on (NOTIFY, ENVID, RET), every RCPT reply captured instead of thrown, and no
/// re-encoding of the message (it is prepared and DKIM-signed before it gets here). MailKit offers
/// no hook for ORCPT: it always sends ORCPT=rfc822;&lt;recipient&gt;, so an ORCPT the client gave us
/// appears in Vigil's own DSNs but not in the next hop's.</summary>
internal sealed class OutboundSmtpClient : SmtpClient
{
    private Transaction? _current;

    /// <summary>RCPT rejections of the last transaction, also after it ended in an exception.</summary>
    public IReadOnlyDictionary<long, SmtpResponse> LastRejected { get; private set; } = new Dictionary<long, SmtpResponse>();

    public OutboundSmtpClient(IProtocolLogger? protocolLogger = null) : base(protocolLogger ?? new NullProtocolLogger()) { }

    /// <summary>Sends one queued message to its recipients on this connection and returns each
    /// recipient's RCPT reply (null for accepted) plus the final reply text.</summary>
    public async Task<TransactionReplies> SendQueuedAsync(MimeMessage message, Envelope envelope, IReadOnlyList<QueueRecipient> recipients, CancellationToken ct)
    {
        var transaction = new Transaction(envelope);
        var mailboxes = new List<MailboxAddress>(recipients.Count);
        foreach (var r in recipients)
        {
            var mailbox = new MailboxAddress("", r.Address);
            transaction.Recipients[mailbox] = r;
            mailboxes.Add(mailbox);
        }
        _current = transaction;
        LastRejected = transaction.Rejected;
        try
        {
            // RFC 3461 §4.3: RET travels with the message; absent stays absent.
            DeliveryStatusNotificationType = envelope.Ret switch
            {
                DsnReturn.Full => MailKit.Net.Smtp.DeliveryStatusNotificationType.Full,
                DsnReturn.Headers => MailKit.Net.Smtp.DeliveryStatusNotificationType.HeadersOnly,
                _ => MailKit.Net.Smtp.DeliveryStatusNotificationType.Unspecified,
            };
            var sender = new MailboxAddress("", envelope.MailFrom);
            var final = await SendAsync(WireFormat.Options, message, sender, mailboxes, ct);
            return new TransactionReplies(transaction.Rejected, final);
        }
        finally
        {
            _current = null;
        }
    }

    protected override string? GetEnvelopeId(MimeMessage message) => _current?.Envelope.EnvId;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
    {
        if (_current is null || !_current.Recipients.TryGetValue(mailbox, out var r) || r.Notify == DsnNotify.Default) return null;
        if (r.Notify.HasFlag(DsnNotify.Never)) return DeliveryStatusNotification.Never;
        DeliveryStatusNotification notify = 0;
        if (r.Notify.HasFlag(DsnNotify.Success)) notify |= DeliveryStatusNotification.Success;
        if (r.Notify.HasFlag(DsnNotify.Failure)) notify |= DeliveryStatusNotification.Failure;
        if (r.Notify.HasFlag(DsnNotify.Delay)) notify |= DeliveryStatusNotification.Delay;
        return notify;
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        if (_current is not null && _current.Recipients.TryGetValue(mailbox, out var r)) _current.Rejected[r.Id] = response;
    }

    // MailKit throws SmtpCommandException(MessageNotAccepted) itself after this and sends RSET,
    // keeping the connection for the next message.
    protected override void OnNoRecipientsAccepted(MimeMessage message) { }

    // The agent already made the message fit the server (8BITMIME) before signing it; changing a
    // byte now would break the DKIM signature.
    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength) { }

    private sealed class Transaction(Envelope envelope)
    {
        public Envelope Envelope { get; } = envelope;
        public Dictionary<MailboxAddress, QueueRecipient> Recipients { get; } = new(ReferenceEqualityComparer.Instance);
        public Dictionary<long, SmtpResponse> Rejected { get; } = [];
    }
}

/// <summary>The replies of one transaction: RCPT rejections by recipient id, and the final reply text.</summary>
internal sealed record TransactionReplies(IReadOnlyDictionary<long, SmtpResponse> Rejected, string FinalReply);
