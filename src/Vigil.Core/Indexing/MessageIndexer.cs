using System.Text;
using MimeKit;
using Vigil.Core.Messages;

namespace Vigil.Core.Indexing;

/// <summary>Parses a stored message (MimeKit) into a <see cref="MessageSummary"/> with the
/// byte offsets of every entity, or extracts the text the full-text index needs. Broken MIME never
/// throws: MimeKit recovers, and whatever it recovers is what IMAP shows.</summary>
public static class MessageIndexer
{
    /// <summary>Upper bound of decoded text kept for the full-text index per message.</summary>
    public const int MaxIndexedText = 256 * 1024;

    /// <summary>The summary and the text (IMAP SEARCH on short strings, messages stored before
    /// summaries existed).</summary>
    public static IndexedMessage Index(Stream message)
    {
        var (summary, parsed) = Parse(message);
        return parsed is null
            ? new IndexedMessage(summary, "", "")
            : new IndexedMessage(summary, HeaderTextOf(parsed), BodyText(parsed));
    }

    /// <summary>The summary alone: what delivery and APPEND store before they answer. The text for
    /// the full-text index is extracted later from the blob (<see cref="ExtractText"/>), off the
    /// delivery path.</summary>
    public static MessageSummary Summarize(Stream message) => Parse(message).Summary;

    /// <summary>The text the full-text index keeps: decoded header values, and the decoded text of
    /// the body parts, each at most <see cref="MaxIndexedText"/> characters.</summary>
    public static MessageText ExtractText(Stream message)
    {
        CheckStart(message);
        MimeMessage parsed;
        try
        {
            parsed = MimeLimits.ParseMessage(message, persistent: true);
        }
        catch (FormatException)
        {
            return new MessageText("", "");
        }
        return new MessageText(HeaderTextOf(parsed), BodyText(parsed));
    }

    /// <summary>The summary, and the parsed message unless the bytes are not a message at all.</summary>
    private static (MessageSummary Summary, MimeMessage? Parsed) Parse(Stream message)
    {
        CheckStart(message);
        var offsets = new Dictionary<MimeEntity, EntityOffsets>(ReferenceEqualityComparer.Instance);
        var begins = new Dictionary<MimeEntity, long>(ReferenceEqualityComparer.Instance);
        void Observe(MimeParser parser)
        {
            // A second parser (MimeLimits gave up on the first) starts the offsets afresh.
            begins.Clear();
            offsets.Clear();
            parser.MimeEntityBegin += (_, e) => begins[e.Entity] = e.BeginOffset;
            parser.MimeEntityEnd += (_, e) => offsets[e.Entity] = new EntityOffsets(begins.GetValueOrDefault(e.Entity), e.HeadersEndOffset, e.EndOffset);
        }
        var length = message.Length;
        MimeMessage parsed;
        try
        {
            parsed = MimeLimits.ParseMessage(message, persistent: true, Observe);
        }
        catch (FormatException)
        {
            return (Unparsable(length), null);
        }

        var lines = new LineCounter(message);
        var context = new BuildContext(offsets, lines);
        var root = BuildMessageBody(parsed, 0, length, context);
        var summary = new MessageSummary(EnvelopeReader.Read(parsed), root)
        {
            SentDate = parsed.Headers.Contains(HeaderId.Date) && parsed.Date != DateTimeOffset.MinValue ? parsed.Date : null,
            References = ReferencesOf(parsed),
        };
        return (summary, parsed);
    }

    private static void CheckStart(Stream message)
    {
        if (!message.CanSeek || message.Position != 0) throw new ArgumentException("The message stream must be seekable and at its start.", nameof(message));
    }

    /// <summary>What is shown for bytes that are not a message at all (empty, no header): one
    /// text/plain part spanning everything, and an empty envelope.</summary>
    private static MessageSummary Unparsable(long length)
    {
        var body = new BodyPart("text", "plain", [new BodyParameter("charset", "us-ascii")], null, null, null, null, null, null, null, null, 0, 0, length, 0);
        var envelope = new EnvelopeData(null, null, null, null, null, null, null, null, null, null, null);
        return new MessageSummary(envelope, body);
    }

    private static IReadOnlyList<string> ReferencesOf(MimeMessage m)
    {
        if (m.References.Count > 0) return m.References.ToArray();
        return string.IsNullOrEmpty(m.InReplyTo) ? [] : [m.InReplyTo];
    }

    /// <summary>The root entity of a (possibly encapsulated) message: its header starts at
    /// <paramref name="headerOffset"/> and it ends at <paramref name="end"/>.</summary>
    private static BodyPart BuildMessageBody(MimeMessage message, long headerOffset, long end, BuildContext ctx)
    {
        var body = message.Body ?? new TextPart("plain");
        var o = ctx.Offsets.GetValueOrDefault(body) ?? new EntityOffsets(headerOffset, end, end);
        return Build(body, headerOffset, Math.Min(o.HeadersEnd, end), end, ctx);
    }

    private static BodyPart Build(MimeEntity entity, long headerOffset, long bodyOffset, long bodyEnd, BuildContext ctx)
    {
        var ct = entity.ContentType;
        var parameters = ct.Parameters.Select(p => new BodyParameter(p.Name, p.Value)).ToList();
        if (ct.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase) && !parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)))
        {
            // RFC 2045 §5.2 and RFC 2046 §4.1.2: text without a charset is us-ascii; shown
            // explicitly, as Dovecot does, so clients need not know the default.
            parameters.Add(new BodyParameter("charset", "us-ascii"));
        }
        var disposition = entity.ContentDisposition;
        var part = new BodyPart(
            ct.MediaType,
            ct.MediaSubtype,
            parameters,
            HeaderValue(entity, HeaderId.ContentId),
            HeaderValue(entity, HeaderId.ContentDescription),
            HeaderValue(entity, HeaderId.ContentTransferEncoding),
            HeaderValue(entity, HeaderId.ContentMd5),
            disposition?.Disposition,
            disposition?.Parameters.Select(p => new BodyParameter(p.Name, p.Value)).ToList(),
            LanguagesOf(entity),
            HeaderValue(entity, HeaderId.ContentLocation),
            headerOffset,
            bodyOffset,
            bodyEnd,
            0);

        switch (entity)
        {
            case Multipart multipart:
                var children = new List<BodyPart>(multipart.Count);
                foreach (var child in multipart)
                {
                    if (!ctx.Offsets.TryGetValue(child, out var co)) continue;
                    children.Add(Build(child, co.Begin, co.HeadersEnd, Math.Max(co.HeadersEnd, co.End), ctx));
                }
                return part with { Parts = children };
            case MessagePart { Message: { } inner }:
                return part with
                {
                    Lines = ctx.Lines.Count(bodyOffset, bodyEnd),
                    MessageEnvelope = EnvelopeReader.Read(inner),
                    MessageBody = BuildMessageBody(inner, bodyOffset, bodyEnd, ctx),
                };
            default:
                return part with { Lines = ctx.Lines.Count(bodyOffset, bodyEnd) };
        }
    }

    private static string? HeaderValue(MimeEntity entity, HeaderId id)
    {
        var i = entity.Headers.IndexOf(id);
        return i < 0 ? null : HeaderText.Unfold(entity.Headers[i].RawValue);
    }

    private static IReadOnlyList<string>? LanguagesOf(MimeEntity entity)
    {
        var raw = HeaderValue(entity, HeaderId.ContentLanguage);
        if (raw is null) return null;
        var list = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Length == 0 ? null : list;
    }

    private static string HeaderTextOf(MimeMessage m)
    {
        var sb = new StringBuilder();
        foreach (var h in m.Headers)
        {
            sb.Append(h.Field).Append(": ").Append(h.Value).Append('\n');
            if (sb.Length > MaxIndexedText) break;
        }
        return Truncate(sb);
    }

    private static string BodyText(MimeMessage m)
    {
        var sb = new StringBuilder();
        AppendText(m.Body, sb, 0);
        return Truncate(sb);
    }

    private static void AppendText(MimeEntity? entity, StringBuilder sb, int depth)
    {
        if (entity is null || sb.Length > MaxIndexedText || depth > 32) return;
        switch (entity)
        {
            case Multipart mp:
                foreach (var child in mp) AppendText(child, sb, depth + 1);
                break;
            case MessagePart { Message: { } inner }:
                sb.Append(HeaderTextOf(inner)).Append('\n');
                AppendText(inner.Body, sb, depth + 1);
                break;
            case TextPart text:
                string decoded;
                try
                {
                    decoded = text.Text;
                }
                catch (Exception ex) when (ex is NotSupportedException or ArgumentException or FormatException)
                {
                    return; // unknown charset: nothing indexable
                }
                sb.Append(text.IsHtml ? HtmlText.Strip(decoded) : decoded).Append('\n');
                break;
        }
    }

    private static string Truncate(StringBuilder sb) => sb.Length > MaxIndexedText ? sb.ToString(0, MaxIndexedText) : sb.ToString();

    private sealed record EntityOffsets(long Begin, long HeadersEnd, long End);

    private sealed record BuildContext(Dictionary<MimeEntity, EntityOffsets> Offsets, LineCounter Lines);
}
