using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>The full-text index's queue: messages whose summary is stored but whose text is not yet
/// in the index. Storing a new summary queues it in the same commit, so a crash never loses the
/// fact; <see cref="SaveAsync"/> adds the text and dequeues in one commit. Entries belong to the
/// content (one per blob), and go when the last message referencing it does. See docs/imap.md.</summary>
public interface ITextIndexStore
{
    /// <summary>Changes whenever this process queues an entry: the indexer watches it to wake up,
    /// and to tell a busy server (mail arriving) from a quiet one, without asking the database.</summary>
    long QueuedSignal { get; }

    /// <summary>The oldest entries of the whole store (the background indexer; no content).</summary>
    Task<IReadOnlyList<PendingText>> ListPendingAsync(int limit, CancellationToken ct);

    /// <summary>Every entry of content that a message of this mailbox of the account references.</summary>
    Task<IReadOnlyList<PendingText>> ListPendingAsync(long accountId, long mailboxId, CancellationToken ct);

    /// <summary>Adds the text of each entry still queued and dequeues it, in one commit; entries
    /// no longer queued (indexed meanwhile, or their messages deleted) are skipped. Returns how
    /// many were added.</summary>
    Task<int> SaveAsync(IReadOnlyList<IndexedText> texts, CancellationToken ct);

    /// <summary>The backlog: entries of the whole store not yet indexed.</summary>
    Task<long> CountPendingAsync(CancellationToken ct);
}

/// <summary>A queued entry: its id, and the blob whose text is to be indexed.</summary>
public sealed record PendingText(long Id, BlobId Blob);

/// <summary>The text of a queued entry, ready for the index.</summary>
public sealed record IndexedText(long Id, string Headers, string Body);
