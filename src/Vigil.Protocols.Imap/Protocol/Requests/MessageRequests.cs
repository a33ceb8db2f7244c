namespace Vigil.Protocols.Imap.Protocol.Requests;

/// <summary>APPEND with one or more messages (RFC 3502 MULTIAPPEND), each either a literal or a
/// CATENATE list (RFC 4469).</summary>
public sealed record AppendRequest(string Mailbox, IReadOnlyList<AppendMessage> Messages) : ImapRequest;

/// <summary>One message of an APPEND; <see cref="Utf8"/> when it came as "UTF8 (literal8)" (RFC 6855 §4).</summary>
public sealed record AppendMessage(IReadOnlyList<string> Flags, DateTimeOffset? InternalDate, Parsing.LiteralData? Data, IReadOnlyList<CatenatePart>? Catenate, bool Utf8 = false)
{
    /// <summary>True when the message or one of its CATENATE parts uses the UTF8 data extension.</summary>
    public bool UsesUtf8 => Utf8 || Catenate?.Any(p => p.Utf8) == true;
}

/// <summary>A CATENATE part: an IMAP URL (RFC 5092) or literal text, the latter possibly as
/// "UTF8 (literal8)" (RFC 6855 §4).</summary>
public sealed record CatenatePart(string? Url, Parsing.LiteralData? Text, bool Utf8 = false);

public sealed record FetchRequest(bool Uid, SequenceSet Set, IReadOnlyList<FetchItem> Items, ulong? ChangedSince, bool Vanished) : ImapRequest;

public sealed record StoreRequest(bool Uid, SequenceSet Set, ulong? UnchangedSince, StoreMode Mode, bool Silent, IReadOnlyList<string> Flags) : ImapRequest;

public enum StoreMode
{
    Replace,
    Add,
    Remove,
}

/// <summary>COPY or MOVE (RFC 6851).</summary>
public sealed record CopyRequest(bool Uid, SequenceSet Set, string Mailbox, bool Move) : ImapRequest;

/// <summary>UID EXPUNGE (RFC 4315) with its UID set.</summary>
public sealed record UidExpungeRequest(SequenceSet Set) : ImapRequest;

/// <summary>SEARCH; <see cref="Return"/> is null for the classic form and set for ESEARCH
/// (RFC 4731) "RETURN (...)".</summary>
public sealed record SearchRequest(bool Uid, SearchReturn? Return, string? Charset, SearchKey Key) : ImapRequest;

[Flags]
public enum SearchReturn
{
    None = 0,
    Min = 1,
    Max = 2,
    All = 4,
    Count = 8,
    Save = 16,
}

/// <summary>SORT (RFC 5256).</summary>
public sealed record SortRequest(bool Uid, IReadOnlyList<SortCriterion> Criteria, string Charset, SearchKey Key) : ImapRequest;

public sealed record SortCriterion(SortKey Key, bool Reverse);

public enum SortKey
{
    Arrival,
    Cc,
    Date,
    From,
    Size,
    Subject,
    To,
    DisplayFrom,
    DisplayTo,
}

/// <summary>THREAD (RFC 5256) with REFERENCES or ORDEREDSUBJECT.</summary>
public sealed record ThreadRequest(bool Uid, ThreadAlgorithm Algorithm, string Charset, SearchKey Key) : ImapRequest;

public enum ThreadAlgorithm
{
    OrderedSubject,
    References,
}
