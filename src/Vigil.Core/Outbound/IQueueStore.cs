namespace Vigil.Core.Outbound;

/// <summary>The durable outbound queue: the only source of truth for what is still to be sent, so
/// a restart resumes from it. Every write is committed before the call returns.</summary>
public interface IQueueStore
{
    Task AddAsync(QueuedMessage message, IReadOnlyList<NewQueueRecipient> recipients, CancellationToken ct);

    /// <summary>Domains with pending recipients whose next attempt is due at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<DueDestination>> ListDueAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> messages with due pending recipients in
    /// <paramref name="domain"/>, oldest first, skipping messages in <paramref name="exclude"/>
    /// (those another worker of this process already holds).</summary>
    Task<IReadOnlyList<QueueItem>> TakeDueAsync(string domain, DateTimeOffset now, int limit, IReadOnlyCollection<string> exclude, CancellationToken ct);

    /// <summary>When the next pending recipient becomes due, or null when nothing is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken ct);

    /// <summary>Writes new recipient states in one commit; a message whose recipients are all final
    /// and have no report owed is removed in the same commit.</summary>
    Task ApplyAsync(IReadOnlyList<RecipientUpdate> updates, CancellationToken ct);

    /// <summary>Messages with at least one recipient that is owed a DSN.</summary>
    Task<IReadOnlyList<QueueEntry>> ListWithNoticesAsync(int limit, CancellationToken ct);

    Task<IReadOnlyList<QueueEntry>> ListAsync(CancellationToken ct);

    Task<QueueEntry?> GetAsync(string id, CancellationToken ct);

    /// <summary>Makes the pending recipients of one message (or of every message when
    /// <paramref name="id"/> is null) due now. Returns how many recipients were rescheduled.</summary>
    Task<int> RetryNowAsync(string? id, DateTimeOffset now, CancellationToken ct);

    /// <summary>Deletes a message and its recipients without any report. Returns false when unknown.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken ct);
}

/// <summary>A recipient as it enters the queue.</summary>
public sealed record NewQueueRecipient(string Address, string Domain, Delivery.DsnNotify Notify, string? OriginalRecipient);
