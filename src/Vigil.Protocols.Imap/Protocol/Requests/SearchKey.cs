using Vigil.Core.Model;

namespace Vigil.Protocols.Imap.Protocol.Requests;

/// <summary>A node of a SEARCH criteria tree (RFC 9051 §6.4.4).</summary>
public abstract record SearchKey
{
    /// <summary>True when this key or any key nested in it (AND, OR, NOT) satisfies <paramref name="predicate"/>.</summary>
    public bool Any(Func<SearchKey, bool> predicate) => predicate(this) || this switch
    {
        AndKey a => a.Keys.Any(k => k.Any(predicate)),
        OrKey o => o.Left.Any(predicate) || o.Right.Any(predicate),
        NotKey n => n.Key.Any(predicate),
        _ => false,
    };
}

public sealed record AllKey : SearchKey
{
    public static readonly AllKey Instance = new();
}

public sealed record AndKey(IReadOnlyList<SearchKey> Keys) : SearchKey;

public sealed record OrKey(SearchKey Left, SearchKey Right) : SearchKey;

public sealed record NotKey(SearchKey Key) : SearchKey;

/// <summary>ANSWERED/UNANSWERED, DELETED/UNDELETED, DRAFT/UNDRAFT, FLAGGED/UNFLAGGED, SEEN/UNSEEN.</summary>
public sealed record FlagKey(MessageFlags Flag, bool Set) : SearchKey;

public sealed record KeywordKey(string Keyword, bool Set) : SearchKey;

/// <summary>RECENT (true) and OLD (false); NEW is RECENT UNSEEN. IMAP4rev1 only (RFC 9051 App. E).</summary>
public sealed record RecentKey(bool Set) : SearchKey;

public enum DateField
{
    Internal,
    Sent,
}

public enum DateComparison
{
    Before,
    On,
    Since,
}

public sealed record DateKey(DateField Field, DateComparison Comparison, DateOnly Date) : SearchKey;

public sealed record SizeKey(bool Larger, long Size) : SearchKey;

/// <summary>FROM/TO/CC/BCC/SUBJECT and HEADER name value: substring of the header field.</summary>
public sealed record HeaderKey(string Field, string Value) : SearchKey;

/// <summary>BODY (body only) and TEXT (header and body) through the full-text index.</summary>
public sealed record TextKey(bool BodyOnly, string Value) : SearchKey;

/// <summary>A sequence set, or "UID set" when <see cref="Uid"/>; "$" is the saved result (RFC 5182).</summary>
public sealed record SetKey(SequenceSet Set, bool Uid) : SearchKey;

/// <summary>MODSEQ (RFC 7162 §3.1.5).</summary>
public sealed record ModSeqKey(ulong ModSeq) : SearchKey;

/// <summary>OLDER/YOUNGER (RFC 5032 WITHIN), in seconds against INTERNALDATE.</summary>
public sealed record AgeKey(bool Older, long Seconds) : SearchKey;
