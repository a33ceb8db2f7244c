using Vigil.Core.Indexing;
using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Sections;
using Vigil.Protocols.Imap.Protocol.Writing;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>Writes one "* n FETCH (...)" response: the items in the order asked, UID first for
/// UID FETCH, FLAGS added when \Seen was just set, MODSEQ added under CONDSTORE.</summary>
internal sealed class FetchResponseWriter(ImapSession session, FetchPlan plan)
{
    private const int FlushThreshold = 64 * 1024;

    /// <summary>Null when written; a tagged NO when the message cannot be shown as asked.</summary>
    public async Task<CommandResult?> WriteAsync(int seq, MessageRecord record, bool seenNow, CancellationToken ct)
    {
        using var content = new MessageContent(session.Services.Blobs, record);
        var summary = record.Summary;
        var summarize = summary is null && (plan.NeedsSummary || plan.NeedsHeaderSize && record.HeaderSize is null);
        if ((plan.ReadsContent || summarize) && !content.TryOpen())
        {
            // Before a byte of the response: the body of a message another session expunged after
            // this FETCH read its row, deleted once the grace period was over. The message is gone,
            // so it is not shown, as when its row is gone (RFC 9051 §7.1 EXPUNGEISSUED; RFC 2180
            // §4.1.1); the client learns of the expunge at its next command. A body missing while
            // its message is still stored is damage, and stays an error.
            if (await StillStoredAsync(record, ct)) throw new InvalidOperationException($"Blob {record.BlobId} is missing.");
            return null;
        }
        if (summarize)
        {
            summary = content.Summarize();
            await session.Services.Store.SaveSummaryAsync(session.Account!.Id, session.Selected!.Id, record.Uid, summary, ct);
        }
        foreach (var item in plan.Items)
        {
            if (item is SectionItem { Binary: true } b && b.Section.Part.Count > 0 && Binary(summary!, record, b.Section.Part) is { Known: false })
                return CommandResult.No("Unknown Content-Transfer-Encoding", "UNKNOWN-CTE");
        }

        var w = session.Writer;
        var selected = session.Selected!;
        w.Untagged().Number(seq).Raw(" FETCH ("u8);
        var first = true;
        void Next()
        {
            if (!first) w.Sp();
            first = false;
        }
        if (plan.AddUid)
        {
            Next();
            w.Raw("UID "u8).Number(record.Uid);
        }
        foreach (var item in plan.Items)
        {
            Next();
            await WriteItemAsync(w, item, record, summary, content, ct);
        }
        if (seenNow && !plan.HasFlags)
        {
            Next();
            w.Raw("FLAGS "u8).Flags(record.Flags, record.Keywords, selected.Recent.Contains(record.Uid));
        }
        if (plan.AddModSeq)
        {
            Next();
            w.Raw("MODSEQ ("u8).Number(record.ModSeq).Close();
        }
        w.Close().Crlf();
        if (session.Connection.Output.UnflushedBytes > FlushThreshold) await session.Connection.Output.FlushAsync(ct);
        return null;
    }

    private async Task<bool> StillStoredAsync(MessageRecord record, CancellationToken ct) =>
        (await session.Services.Store.GetMessagesAsync(session.Account!.Id, session.Selected!.Id, [record.Uid], false, ct)).Count > 0;

    private async Task WriteItemAsync(ImapResponseWriter w, FetchItem item, MessageRecord record, MessageSummary? summary, MessageContent content, CancellationToken ct)
    {
        switch (item)
        {
            case AttributeItem { Attribute: var a }:
                switch (a)
                {
                    case FetchAttribute.Uid: w.Raw("UID "u8).Number(record.Uid); break;
                    case FetchAttribute.Flags: w.Raw("FLAGS "u8).Flags(record.Flags, record.Keywords, session.Selected!.Recent.Contains(record.Uid)); break;
                    case FetchAttribute.InternalDate: w.Raw("INTERNALDATE \""u8).Ascii(ImapDateTime.Format(record.InternalDate)).Byte((byte)'"'); break;
                    case FetchAttribute.Rfc822Size: w.Raw("RFC822.SIZE "u8).Number(record.Size); break;
                    case FetchAttribute.ModSeq: w.Raw("MODSEQ ("u8).Number(record.ModSeq).Close(); break;
                    case FetchAttribute.Envelope:
                        w.Raw("ENVELOPE "u8);
                        EnvelopeFormatter.Write(w, summary!.Envelope);
                        break;
                    case FetchAttribute.Body:
                        w.Raw("BODY "u8);
                        BodyStructureFormatter.Write(w, summary!.Body, extended: false);
                        break;
                    case FetchAttribute.BodyStructure:
                        w.Raw("BODYSTRUCTURE "u8);
                        BodyStructureFormatter.Write(w, summary!.Body, extended: true);
                        break;
                    case FetchAttribute.Rfc822:
                        w.Raw("RFC822 "u8);
                        await WriteRangeAsync(w, content, 0, record.Size, null, null, ct);
                        break;
                    case FetchAttribute.Rfc822Header:
                        w.Raw("RFC822.HEADER "u8);
                        await WriteRangeAsync(w, content, 0, HeaderSize(record, summary), null, null, ct);
                        break;
                    case FetchAttribute.Rfc822Text:
                        w.Raw("RFC822.TEXT "u8);
                        var bodyOffset = HeaderSize(record, summary);
                        await WriteRangeAsync(w, content, bodyOffset, record.Size - bodyOffset, null, null, ct);
                        break;
                }
                break;
            case SectionItem s when s.Binary:
                w.Raw("BINARY["u8).Ascii(string.Join('.', s.Section.Part)).Byte((byte)']');
                if (s.PartialOffset is { } bo) w.Byte((byte)'<').Number(bo).Byte((byte)'>');
                w.Sp();
                if (s.Section.Part.Count == 0)
                {
                    // RFC 3516 §4.3: BINARY content with a NUL octet travels as a literal8.
                    await WriteRangeAsync(w, content, 0, record.Size, s.PartialOffset, s.PartialLength, ct, literal8IfNul: true);
                    break;
                }
                var decoded = Binary(summary!, record, s.Section.Part, content);
                if (decoded.Bytes is null)
                {
                    w.Nil();
                    break;
                }
                var (bOffset, bCount) = SectionLocator.Partial(decoded.Bytes.Length, s.PartialOffset, s.PartialLength);
                var slice = decoded.Bytes.AsSpan((int)bOffset, (int)bCount);
                w.Literal(slice, binary: slice.Contains((byte)0));
                break;
            case SectionItem s:
                var label = new SectionSpec(s.Section.Part, s.Section.Text, s.Section.Fields.Select(f => f.ToUpperInvariant()).ToList());
                w.Raw("BODY["u8).Ascii(label.ToString()).Byte((byte)']');
                if (s.PartialOffset is { } o) w.Byte((byte)'<').Number(o).Byte((byte)'>');
                w.Sp();
                var range = s.Section.Part.Count == 0
                    ? SectionLocator.TopLevel(s.Section.Text == SectionText.None ? 0 : HeaderSize(record, summary), record.Size, s.Section)
                    : SectionLocator.Locate(summary!.Body, record.Size, s.Section);
                if (range is null)
                {
                    w.Raw("\"\""u8);
                    break;
                }
                if (range.FieldFilter is { } filter)
                {
                    var filtered = HeaderFieldFilter.Filter(content.Read(range.Start, range.Length), filter.Fields, filter.Text == SectionText.HeaderFieldsNot);
                    var (fo, fc) = SectionLocator.Partial(filtered.Length, s.PartialOffset, s.PartialLength);
                    w.Literal(filtered.AsSpan((int)fo, (int)fc));
                    break;
                }
                await WriteRangeAsync(w, content, range.Start, range.Length, s.PartialOffset, s.PartialLength, ct);
                break;
            case BinarySizeItem b:
                w.Raw("BINARY.SIZE["u8).Ascii(string.Join('.', b.Part)).Raw("] "u8);
                w.Number(b.Part.Count == 0 ? record.Size : Binary(summary!, record, b.Part, content).Bytes?.Length ?? 0);
                break;
        }
    }

    /// <summary>Where the top-level header ends: kept with the message, or from its summary.</summary>
    private static long HeaderSize(MessageRecord record, MessageSummary? summary) => record.HeaderSize ?? summary!.Body.BodyOffset;

    private async Task WriteRangeAsync(ImapResponseWriter w, MessageContent content, long start, long length, uint? partialOffset, uint? partialLength, CancellationToken ct, bool literal8IfNul = false)
    {
        var (offset, count) = SectionLocator.Partial(length, partialOffset, partialLength);
        w.LiteralHeader(count, binary: literal8IfNul && content.ContainsNul(start + offset, count));
        await content.CopyAsync(start + offset, count, session.Connection.Output, ct);
    }

    /// <summary>The decoded content of a leaf part for BINARY; Known is false for an encoding we
    /// cannot undo. Without <paramref name="content"/> only the encoding is checked.</summary>
    private static (bool Known, byte[]? Bytes) Binary(MessageSummary summary, MessageRecord record, IReadOnlyList<int> part, MessageContent? content = null)
    {
        var entity = SectionLocator.Walk(summary.Body, part, out var topLevelSingle);
        if (entity is null) return (true, null);
        var end = topLevelSingle ? record.Size : entity.BodyEnd;
        var encoding = entity.IsMultipart || entity.IsMessage ? null : entity.Encoding;
        if (content is null) return (TransferDecoder.Decode([], encoding) is not null, null);
        var decoded = TransferDecoder.Decode(content.Read(entity.BodyOffset, end - entity.BodyOffset), encoding);
        return (decoded is not null, decoded);
    }
}
