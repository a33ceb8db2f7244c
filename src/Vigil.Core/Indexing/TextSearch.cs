using Vigil.Core.Storage;

namespace Vigil.Core.Indexing;

/// <summary>Full-text search of one mailbox (IMAP SEARCH BODY and TEXT). Text is indexed after
/// delivery, in the background; a search first indexes whatever of this mailbox is still queued,
/// so it sees every message stored before it began, however far behind the background indexer is.</summary>
public sealed class TextSearch(IMessageStore messages, TextIndexer indexer)
{
    /// <summary>UIDs whose text contains <paramref name="text"/> (at least 3 characters; see
    /// <see cref="IMessageStore.SearchTextAsync"/>).</summary>
    public async Task<IReadOnlySet<uint>> SearchAsync(long accountId, long mailboxId, string text, bool bodyOnly, CancellationToken ct)
    {
        await indexer.CatchUpAsync(accountId, mailboxId, ct);
        return await messages.SearchTextAsync(accountId, mailboxId, text, bodyOnly, ct);
    }
}
