using System.Text.Json.Serialization;

namespace Vigil.Core.Indexing;

/// <summary>What IMAP FETCH, SEARCH, SORT and THREAD need from a message, parsed once when the
/// message is stored so that listing 10,000 envelopes never re-parses 10,000 messages.
/// It describes the content, so every copy of the same blob shares one summary.</summary>
public sealed record MessageSummary(EnvelopeData Envelope, BodyPart Body)
{
    /// <summary>The Date header as a point in time, or null when absent or unparsable.</summary>
    public DateTimeOffset? SentDate { get; init; }

    /// <summary>Message-ids named by References and In-Reply-To, oldest first (RFC 5256 threading).</summary>
    public IReadOnlyList<string> References { get; init; } = [];
}

/// <summary>The header fields of an IMAP ENVELOPE. Strings are the unfolded header values as
/// written (possibly RFC 2047 encoded); <see cref="SubjectText"/> is the decoded subject.
/// Null means the header is absent.</summary>
public sealed record EnvelopeData(
    string? Date,
    string? Subject,
    string? SubjectText,
    IReadOnlyList<EnvelopeAddress>? From,
    IReadOnlyList<EnvelopeAddress>? Sender,
    IReadOnlyList<EnvelopeAddress>? ReplyTo,
    IReadOnlyList<EnvelopeAddress>? To,
    IReadOnlyList<EnvelopeAddress>? Cc,
    IReadOnlyList<EnvelopeAddress>? Bcc,
    string? InReplyTo,
    string? MessageId);

/// <summary>One address of an envelope list, or a group marker: a group starts with
/// <c>Mailbox</c> = group name and null <c>Host</c>, and ends with everything null
/// (RFC 3501 §7.4.2). <see cref="Name"/> is decoded text.</summary>
public sealed record EnvelopeAddress(string? Name, string? Route, string? Mailbox, string? Host)
{
    public static readonly EnvelopeAddress GroupEnd = new(null, null, null, null);

    [JsonIgnore]
    public bool IsGroupStart => Host is null && Mailbox is not null;
    [JsonIgnore]
    public bool IsGroupEnd => Mailbox is null && Host is null;
}

/// <summary>One MIME entity with the byte offsets IMAP sections address. Offsets are relative to
/// the start of the stored message: <see cref="HeaderOffset"/> is where the entity's header
/// starts, <see cref="BodyOffset"/> where its body starts (after the blank line) and
/// <see cref="BodyEnd"/> where it ends (the CRLF before a boundary belongs to the boundary,
/// RFC 2046 §5.1.1).</summary>
public sealed record BodyPart(
    string Type,
    string Subtype,
    IReadOnlyList<BodyParameter> Parameters,
    string? Id,
    string? Description,
    string? Encoding,
    string? Md5,
    string? Disposition,
    IReadOnlyList<BodyParameter>? DispositionParameters,
    IReadOnlyList<string>? Language,
    string? Location,
    long HeaderOffset,
    long BodyOffset,
    long BodyEnd,
    long Lines)
{
    /// <summary>Children of a multipart entity.</summary>
    public IReadOnlyList<BodyPart> Parts { get; init; } = [];

    /// <summary>The encapsulated message of a message/rfc822 (or message/global) entity.</summary>
    public EnvelopeData? MessageEnvelope { get; init; }
    public BodyPart? MessageBody { get; init; }

    [JsonIgnore]
    public long Size => BodyEnd - BodyOffset;

    [JsonIgnore]
    public bool IsMultipart => Type.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    [JsonIgnore]
    public bool IsMessage => MessageBody is not null;

    [JsonIgnore]
    public bool IsText => Type.Equals("text", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A Content-Type or Content-Disposition parameter, value decoded (RFC 2231).</summary>
public sealed record BodyParameter(string Name, string Value);
