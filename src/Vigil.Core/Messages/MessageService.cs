using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Messages;

/// <summary>A message an IMAP client uploads: its committed blob and attributes.</summary>
public sealed record UploadedMessage(BlobId Blob, long Size, DateTimeOffset InternalDate, MessageFlags Flags, IReadOnlyList<string> Keywords);

/// <summary>Changes to messages made by a user (APPEND, STORE, COPY, MOVE, EXPUNGE): each goes to
/// the store as one durable step, then every session of the account hears of it.</summary>
public sealed class MessageService(IMessageStore store, IBlobStore blobs, MailboxEvents events)
{
    /// <summary>Parses and stores the messages (all or none), enforcing the quota; their text is
    /// indexed later (TextIndexer).</summary>
    public async Task<IReadOnlyList<AppendedMessage>> AppendAsync(long accountId, string mailbox, IReadOnlyList<UploadedMessage> messages, CancellationToken ct)
    {
        var batch = new List<NewMessage>(messages.Count);
        foreach (var m in messages)
        {
            var summary = BlobIndexer.Summarize(blobs, m.Blob);
            batch.Add(new NewMessage(accountId, mailbox, m.Blob, m.Size, m.InternalDate, m.Flags, m.Keywords,
                summary.Envelope.SubjectText, null, summary, EnforceQuota: true));
        }
        var appended = await store.AppendAsync(batch, ct);
        foreach (var group in appended.GroupBy(a => a.MailboxId))
        {
            events.Publish(new MailboxChange(accountId, group.Key, MailboxChangeKind.Appended, group.Select(a => a.Uid).ToList(), group.Max(a => a.ModSeq)));
        }
        return appended;
    }

    /// <summary>Changes flags; <paramref name="origin"/> (the session asking) is named in the event
    /// so it need not look the change up again.</summary>
    public async Task<FlagUpdateResult> UpdateFlagsAsync(long accountId, long mailboxId, IReadOnlyList<uint> uids, FlagUpdate update, long? unchangedSince, CancellationToken ct, object? origin = null)
    {
        var result = await store.UpdateFlagsAsync(accountId, mailboxId, uids, update, unchangedSince, ct);
        if (result.Changed.Count > 0)
        {
            events.Publish(new MailboxChange(accountId, mailboxId, MailboxChangeKind.FlagsChanged, result.Changed.Select(c => c.Uid).ToList(), result.ModSeq, origin));
        }
        return result;
    }

    public async Task<CopyResult> CopyAsync(long accountId, long fromMailboxId, IReadOnlyList<uint> uids, long toMailboxId, bool move, CancellationToken ct)
    {
        var result = await store.CopyAsync(accountId, fromMailboxId, uids, toMailboxId, move, ct);
        if (result.Uids.Count > 0)
        {
            events.Publish(new MailboxChange(accountId, toMailboxId, MailboxChangeKind.Appended, result.Uids.Select(u => u.Target).ToList(), result.TargetModSeq));
        }
        if (result.Moved is { IsEmpty: false } moved) events.Publish(moved.ToChange());
        return result;
    }

    /// <summary>Expunges \Deleted messages (only those in <paramref name="within"/> when given).</summary>
    public async Task<ExpungeResult> ExpungeDeletedAsync(long accountId, long mailboxId, IReadOnlyList<uint>? within, CancellationToken ct)
    {
        var result = await store.ExpungeDeletedAsync(accountId, mailboxId, within, ct);
        if (!result.IsEmpty) events.Publish(result.ToChange());
        return result;
    }
}
