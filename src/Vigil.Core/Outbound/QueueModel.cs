using Vigil.Core.Delivery;
using Vigil.Core.Model;

namespace Vigil.Core.Outbound;

/// <summary>A message waiting in the outbound queue; its recipients carry their own state.</summary>
public sealed record QueuedMessage(string Id, BlobId Blob, long Size, Envelope Envelope, DateTimeOffset Created);

/// <summary>One envelope recipient of a queued message, grouped by <see cref="Domain"/> for delivery.</summary>
public sealed record QueueRecipient(
    long Id,
    string MessageId,
    string Address,
    string Domain,
    DsnNotify Notify,
    string? OriginalRecipient,
    RecipientProgress Progress);

/// <summary>The part of a recipient that delivery changes: its state, attempts so far, when it is
/// due next, what the last attempt said (<see cref="LastError"/> in RFC 3464 "type; text" form),
/// whether the delay warning went out, and the DSN still owed to the sender, if any.</summary>
public sealed record RecipientProgress(
    RecipientState State,
    int Attempts,
    DateTimeOffset NextAttempt,
    DateTimeOffset? LastAttempt,
    string? LastError,
    string? Status,
    string? RemoteMta,
    bool DelayReported,
    DsnAction? Notice);

/// <summary>Where a recipient stands.</summary>
public enum RecipientState
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>RFC 3464 §2.3.3 Action of a delivery status notification owed to the sender.</summary>
public enum DsnAction
{
    Failed = 1,
    Delayed = 2,
    Delivered = 3,
    Relayed = 4,
    Expanded = 5,
}

/// <summary>A queued message with the recipients that one delivery job handles.</summary>
public sealed record QueueItem(QueuedMessage Message, IReadOnlyList<QueueRecipient> Recipients);

/// <summary>A destination domain with recipients due now.</summary>
public sealed record DueDestination(string Domain, int Recipients);

/// <summary>A new state for one recipient after an attempt or a report.</summary>
public sealed record RecipientUpdate(long RecipientId, RecipientProgress Progress);

/// <summary>A message row and every recipient, for <c>vigil queue show</c> and for reports.</summary>
public sealed record QueueEntry(QueuedMessage Message, IReadOnlyList<QueueRecipient> Recipients);
