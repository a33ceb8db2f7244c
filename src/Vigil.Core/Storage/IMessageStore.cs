using Vigil.Core.Events;
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

    /// <summary>Permanently removes the listed UIDs from one mailbox of the account, durably, in one
    /// transaction: frees their bytes from the account's quota and, when anything was removed,
    /// bumps the mailbox HIGHESTMODSEQ once. UIDs that are not (or no longer) in the mailbox are
    /// ignored. Publishes nothing: the caller announces the result (see
    /// <see cref="ExpungeResult.ToChange"/>) so open IMAP sessions learn of it. Throws
    /// <see cref="KeyNotFoundException"/> when the mailbox is not the account's.</summary>
    Task<ExpungeResult> ExpungeAsync(long accountId, long mailboxId, IReadOnlyList<uint> uids, CancellationToken ct);

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

/// <summary>What an expunge removed: the UIDs in ascending order, the mailbox MODSEQ after it, the
/// bytes given back to the quota, and the blobs the removed rows referenced (which may now be
/// unreferenced; see <see cref="IMessageStore.IsBlobReferencedAsync"/>).</summary>
public sealed record ExpungeResult(long AccountId, long MailboxId, IReadOnlyList<uint> Uids, long ModSeq, long FreedBytes, IReadOnlyList<BlobId> Blobs)
{
    public bool IsEmpty => Uids.Count == 0;

    /// <summary>The event to publish through <see cref="MailboxEvents"/> after a non-empty expunge.</summary>
    public MailboxChange ToChange() => new(AccountId, MailboxId, MailboxChangeKind.Expunged, Uids, ModSeq);
}
