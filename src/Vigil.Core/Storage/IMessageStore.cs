using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>Mailboxes and message metadata. Every call names the account it acts for, and an
/// implementation must never return or touch rows of another account.</summary>
public interface IMessageStore
{
    Task<IReadOnlyList<Mailbox>> ListMailboxesAsync(long accountId, CancellationToken ct);
    Task<Mailbox?> GetMailboxAsync(long accountId, string name, CancellationToken ct);
    Task<IReadOnlyList<StoredMessage>> ListMessagesAsync(long accountId, long mailboxId, CancellationToken ct);

    /// <summary>Appends messages and makes them durable before returning. All-or-nothing per
    /// call; concurrent calls may share one commit (group commit).</summary>
    Task<IReadOnlyList<AppendedMessage>> AppendAsync(IReadOnlyList<NewMessage> messages, CancellationToken ct);

    /// <summary>True if any message of any account still references the blob.</summary>
    Task<bool> IsBlobReferencedAsync(BlobId blob, CancellationToken ct);
}

/// <summary>A message to add to a mailbox (by name) of an account.</summary>
public sealed record NewMessage(
    long AccountId,
    string MailboxName,
    BlobId BlobId,
    long Size,
    DateTimeOffset InternalDate,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    string? Subject,
    string? EnvelopeJson);

/// <summary>Where an appended message landed.</summary>
public sealed record AppendedMessage(long AccountId, long MailboxId, long MessageId, uint Uid, long ModSeq, uint UidValidity);
