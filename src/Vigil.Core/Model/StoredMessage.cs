namespace Vigil.Core.Model;

/// <summary>Metadata of one message in one mailbox; the bytes live in the blob named <see cref="BlobId"/>.</summary>
public sealed record StoredMessage(
    long Id,
    long AccountId,
    long MailboxId,
    uint Uid,
    long ModSeq,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    DateTimeOffset InternalDate,
    long Size,
    BlobId BlobId,
    string? Subject);
