namespace Vigil.Core.Events;

/// <summary>Something changed in a mailbox; sessions that have it open (IMAP IDLE) react.
/// <see cref="Origin"/> names the session that made the change, which already knows of it.</summary>
public sealed record MailboxChange(long AccountId, long MailboxId, MailboxChangeKind Kind, IReadOnlyList<uint> Uids, long ModSeq, object? Origin = null);

/// <summary>The kind of a <see cref="MailboxChange"/>.</summary>
public enum MailboxChangeKind
{
    Appended,
    FlagsChanged,
    Expunged,
    MailboxDeleted,
}
