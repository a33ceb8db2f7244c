using Vigil.Core.Indexing;
using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>A message's mutable state as IMAP sees it.</summary>
public sealed record MessageState(uint Uid, MessageFlags Flags, IReadOnlyList<string> Keywords, long ModSeq);

/// <summary>One message with what FETCH needs; <see cref="Summary"/> only when asked for.
/// <see cref="HeaderSize"/> is where the top-level header ends (null for messages stored before it was kept).</summary>
public sealed record MessageRecord(
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    long ModSeq,
    DateTimeOffset InternalDate,
    long Size,
    BlobId BlobId,
    MessageSummary? Summary,
    long? HeaderSize = null)
{
    public MessageState State => new(Uid, Flags, Keywords, ModSeq);
}

/// <summary>A mailbox's UIDs at one moment, for SELECT.</summary>
public sealed record MailboxSnapshot(Mailbox Mailbox, IReadOnlyList<uint> Uids);

/// <summary>What changed in a mailbox after a MODSEQ: messages added or whose flags changed
/// (ascending UID) and UIDs expunged since (RFC 7162 bookkeeping).</summary>
public sealed record MailboxDelta(Mailbox Mailbox, IReadOnlyList<MessageState> Changed, IReadOnlyList<uint> Vanished);

/// <summary>Counters for STATUS and SELECT; <see cref="FirstUnseen"/> is a UID, 0 when all are seen.</summary>
public sealed record MailboxCounts(int Messages, int Unseen, int Deleted, long Size, int Recent, uint FirstUnseen);

/// <summary>How STORE changes flags.</summary>
public enum FlagMode
{
    Replace,
    Add,
    Remove,
}

/// <summary>A flag change for a set of messages.</summary>
public sealed record FlagUpdate(FlagMode Mode, MessageFlags Flags, IReadOnlyList<string> Keywords);

/// <summary>The result of a flag change: the messages whose flags changed (with their new MODSEQ),
/// those left untouched because they already had the flags, and those refused because they were
/// modified after UNCHANGEDSINCE (RFC 7162 §3.1.3).</summary>
public sealed record FlagUpdateResult(IReadOnlyList<MessageState> Changed, IReadOnlyList<MessageState> Unchanged, IReadOnlyList<uint> Modified, long ModSeq);

/// <summary>Where COPY/MOVE put messages: source UID → new UID in the target (RFC 4315 COPYUID),
/// and, for MOVE, what left the source.</summary>
public sealed record CopyResult(long TargetMailboxId, uint TargetUidValidity, IReadOnlyList<(uint Source, uint Target)> Uids, long TargetModSeq, ExpungeResult? Moved);

/// <summary>Thrown when a mailbox name is already taken (CREATE, RENAME).</summary>
public sealed class MailboxExistsException : InvalidOperationException
{
    public MailboxExistsException() { }

    public MailboxExistsException(string message) : base(message) { }

    public MailboxExistsException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Thrown when storing would take an account over its quota (RFC 9208 OVERQUOTA).
/// An <see cref="InvalidOperationException"/> so that the group-commit writer fails only this operation.</summary>
public sealed class QuotaExceededException : InvalidOperationException
{
    public QuotaExceededException() { }

    public QuotaExceededException(string message) : base(message) { }

    public QuotaExceededException(string message, Exception inner) : base(message, inner) { }
}
