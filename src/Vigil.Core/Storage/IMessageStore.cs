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

    /// <summary>Expunges the messages flagged \Deleted, all of them or only those among
    /// <paramref name="within"/> (UID EXPUNGE), as one atomic step; otherwise as <see cref="ExpungeAsync"/>,
    /// except that, like flag changes, it need not be on disk when it returns (the next durable
    /// write takes it there).</summary>
    Task<ExpungeResult> ExpungeDeletedAsync(long accountId, long mailboxId, IReadOnlyList<uint>? within, CancellationToken ct);

    // ---- Mailboxes (IMAP CREATE/DELETE/RENAME/SUBSCRIBE/STATUS) ----

    Task<Mailbox?> GetMailboxByIdAsync(long accountId, long mailboxId, CancellationToken ct);

    /// <summary>Creates a mailbox with a fresh UIDVALIDITY; throws <see cref="MailboxExistsException"/>.</summary>
    Task<Mailbox> CreateMailboxAsync(long accountId, string name, string? specialUse, CancellationToken ct);

    /// <summary>Deletes a mailbox and its messages (quota is given back); false when it did not exist.</summary>
    Task<bool> DeleteMailboxAsync(long accountId, long mailboxId, CancellationToken ct);

    /// <summary>Renames a mailbox and every mailbox below it (<c>from/…</c>), keeping their ids and
    /// UIDVALIDITY; throws <see cref="MailboxExistsException"/> when a target name is taken.</summary>
    Task RenameMailboxAsync(long accountId, string from, string to, CancellationToken ct);

    /// <summary>RFC 9051 §6.3.6: renaming INBOX moves all its messages to a new mailbox and leaves
    /// INBOX empty. Returns the expunge INBOX sessions must be told of.</summary>
    Task<ExpungeResult> MoveInboxAsync(long accountId, string to, CancellationToken ct);

    Task<IReadOnlyList<string>> ListSubscriptionsAsync(long accountId, CancellationToken ct);

    /// <summary>Subscriptions are names, not mailboxes: one may name a mailbox that does not exist.</summary>
    Task SetSubscribedAsync(long accountId, string name, bool subscribed, CancellationToken ct);

    Task<MailboxCounts> GetMailboxCountsAsync(long accountId, long mailboxId, CancellationToken ct);

    // ---- Messages as IMAP sees them ----

    Task<MailboxSnapshot?> GetSnapshotAsync(long accountId, long mailboxId, CancellationToken ct);

    /// <summary>The named messages that still exist, ascending UID, with their summaries when asked.</summary>
    Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(long accountId, long mailboxId, IReadOnlyList<uint> uids, bool withSummary, CancellationToken ct);

    /// <summary>Stores the summary of a message parsed after the fact (stored before summaries
    /// existed) and queues its text for the full-text index (<see cref="ITextIndexStore"/>).</summary>
    Task SaveSummaryAsync(long accountId, long mailboxId, uint uid, Indexing.MessageSummary summary, CancellationToken ct);

    /// <summary>Messages added or changed, and UIDs expunged, after <paramref name="modSeq"/>.</summary>
    Task<MailboxDelta?> GetChangesAsync(long accountId, long mailboxId, long modSeq, CancellationToken ct);

    /// <summary>Marks every message up to UIDNEXT as seen by a session and returns the first UID
    /// not seen before: the caller's \Recent messages start there (RFC 3501 §2.3.2).</summary>
    Task<uint> ClaimRecentAsync(long accountId, long mailboxId, CancellationToken ct);

    /// <summary>Changes flags of the named messages under one new MODSEQ. With
    /// <paramref name="unchangedSince"/>, messages modified after it are left alone and reported.
    /// Atomic and visible at once, but not necessarily on disk when it returns.</summary>
    Task<FlagUpdateResult> UpdateFlagsAsync(long accountId, long mailboxId, IReadOnlyList<uint> uids, FlagUpdate update, long? unchangedSince, CancellationToken ct);

    /// <summary>Copies (or moves) messages to another mailbox of the same account, keeping flags and
    /// internal dates. A copy counts against the quota and fails whole with
    /// <see cref="QuotaExceededException"/>; a move does not change usage.</summary>
    Task<CopyResult> CopyAsync(long accountId, long fromMailboxId, IReadOnlyList<uint> uids, long toMailboxId, bool move, CancellationToken ct);

    /// <summary>UIDs of messages in the mailbox whose indexed text contains <paramref name="text"/>
    /// (case-insensitive); the body only, or header and body. Needs at least 3 characters. Sees
    /// only text already indexed: callers go through <see cref="Indexing.TextSearch"/>, which first
    /// indexes the mailbox's queued messages.</summary>
    Task<IReadOnlySet<uint>> SearchTextAsync(long accountId, long mailboxId, string text, bool bodyOnly, CancellationToken ct);
}

/// <summary>A message to add to a mailbox (by name) of an account. <see cref="Summary"/> is stored
/// once per blob for FETCH/SEARCH, and a new one queues the blob's text for the full-text index
/// (<see cref="ITextIndexStore"/>); with <see cref="EnforceQuota"/> the append fails with
/// <see cref="QuotaExceededException"/> rather than exceed the account quota (IMAP APPEND; SMTP
/// checks at RCPT and never loses mail it accepted).</summary>
public sealed record NewMessage(
    long AccountId,
    string MailboxName,
    BlobId BlobId,
    long Size,
    DateTimeOffset InternalDate,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    string? Subject,
    string? EnvelopeJson,
    Indexing.MessageSummary? Summary = null,
    bool EnforceQuota = false);

/// <summary>Where an appended message landed.</summary>
public sealed record AppendedMessage(long AccountId, long MailboxId, long MessageId, uint Uid, long ModSeq, uint UidValidity);

/// <summary>What an expunge removed: the UIDs in ascending order, the mailbox MODSEQ after it, and
/// the bytes given back to the quota. Bodies no row names any more are released by the store and
/// deleted after a grace period (docs/storage.md, "Deleted mail").</summary>
public sealed record ExpungeResult(long AccountId, long MailboxId, IReadOnlyList<uint> Uids, long ModSeq, long FreedBytes)
{
    public bool IsEmpty => Uids.Count == 0;

    /// <summary>The event to publish through <see cref="MailboxEvents"/> after a non-empty expunge.</summary>
    public MailboxChange ToChange() => new(AccountId, MailboxId, MailboxChangeKind.Expunged, Uids, ModSeq);
}
