namespace Vigil.Protocols.Imap.Protocol.Requests;

/// <summary>Mailbox names arrive as the client wrote them (modified UTF-7 unless UTF-8 is enabled);
/// the session decodes them.</summary>
public sealed record SelectRequest(string Mailbox, bool ReadOnly, bool CondStore, QresyncParameters? Qresync) : ImapRequest;

/// <summary>RFC 7162 §3.2.5 QRESYNC select parameter.</summary>
public sealed record QresyncParameters(uint UidValidity, ulong ModSeq, SequenceSet? KnownUids, SequenceSet? KnownSequence, SequenceSet? KnownSequenceUids);

public sealed record CreateRequest(string Mailbox, IReadOnlyList<string> SpecialUse) : ImapRequest;

public sealed record DeleteRequest(string Mailbox) : ImapRequest;

public sealed record RenameRequest(string From, string To) : ImapRequest;

public sealed record SubscribeRequest(string Mailbox, bool Subscribe) : ImapRequest;

/// <summary>LIST with the RFC 5258 selection and return options (and RFC 5819 STATUS).</summary>
public sealed record ListRequest(string Reference, IReadOnlyList<string> Patterns, ListSelect Select, ListReturn Return, StatusItems StatusItems, bool Extended) : ImapRequest;

public sealed record LsubRequest(string Reference, string Pattern) : ImapRequest;

[Flags]
public enum ListSelect
{
    None = 0,
    Subscribed = 1,
    Remote = 2,
    RecursiveMatch = 4,
    SpecialUse = 8,
}

[Flags]
public enum ListReturn
{
    None = 0,
    Subscribed = 1,
    Children = 2,
    SpecialUse = 4,
    Status = 8,
}

public sealed record StatusRequest(string Mailbox, StatusItems Items) : ImapRequest;

[Flags]
public enum StatusItems
{
    None = 0,
    Messages = 1,
    Recent = 2,
    UidNext = 4,
    UidValidity = 8,
    Unseen = 16,
    Deleted = 32,
    Size = 64,
    HighestModSeq = 128,
    AppendLimit = 256,
}

public sealed record GetQuotaRequest(string Root) : ImapRequest;

public sealed record GetQuotaRootRequest(string Mailbox) : ImapRequest;

public sealed record SetQuotaRequest(string Root) : ImapRequest;
