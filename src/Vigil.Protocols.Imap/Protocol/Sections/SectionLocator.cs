using Vigil.Core.Indexing;
using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Sections;

/// <summary>Where a body section lies in the stored message, and which entity it belongs to.
/// <see cref="FieldFilter"/> is set for HEADER.FIELDS[.NOT], whose bytes must still be filtered.</summary>
public sealed record SectionRange(long Start, long End, BodyPart? Entity, SectionSpec? FieldFilter)
{
    public long Length => End - Start;
}

/// <summary>Maps a section specifier to byte offsets using the summary's entity offsets
/// (RFC 9051 §6.4.5): part numbers walk multiparts and enter encapsulated messages; a message
/// that is not multipart has only part 1; HEADER/TEXT apply to the top-level message or to a
/// message/rfc822 part; MIME is the header of the part itself.</summary>
public static class SectionLocator
{
    public static SectionRange? Locate(BodyPart root, long messageSize, SectionSpec section)
    {
        if (section.Part.Count == 0) return TopLevel(root.BodyOffset, messageSize, section, root);
        var entity = Walk(root, section.Part, out var topLevelSingle);
        if (entity is null) return null;
        var end = topLevelSingle ? messageSize : entity.BodyEnd;
        switch (section.Text)
        {
            case SectionText.None:
                return new SectionRange(entity.BodyOffset, end, entity, null);
            case SectionText.Mime:
                return new SectionRange(entity.HeaderOffset, entity.BodyOffset, entity, null);
            default:
                if (entity.MessageBody is not { } inner) return null;
                return section.Text == SectionText.Text
                    ? new SectionRange(inner.BodyOffset, entity.BodyEnd, inner, null)
                    : Header(inner.HeaderOffset, inner.BodyOffset, inner, section);
        }
    }

    /// <summary>A section of the message itself (no part numbers), which needs only where its header
    /// ends (<paramref name="headerSize"/>, the offset of the body).</summary>
    public static SectionRange TopLevel(long headerSize, long messageSize, SectionSpec section, BodyPart? root = null) => section.Text switch
    {
        SectionText.None => new SectionRange(0, messageSize, root, null),
        SectionText.Text => new SectionRange(headerSize, messageSize, root, null),
        _ => Header(0, headerSize, root, section),
    };

    /// <summary>The entity named by part numbers, or null when there is none.
    /// <paramref name="topLevelSingle"/> is true for "1" of a message that is not multipart, whose
    /// body runs to the end of the message.</summary>
    public static BodyPart? Walk(BodyPart root, IReadOnlyList<int> path, out bool topLevelSingle)
    {
        topLevelSingle = false;
        var current = root;
        var children = ChildrenOfMessage(root);
        for (var i = 0; i < path.Count; i++)
        {
            var n = path[i];
            if (children is null || n < 1 || n > children.Count) return null;
            current = children[n - 1];
            if (i == 0 && !root.IsMultipart) topLevelSingle = true;
            else topLevelSingle = false;
            children = current.IsMultipart ? current.Parts : current.MessageBody is { } inner ? ChildrenOfMessage(inner) : null;
        }
        return current;
    }

    private static IReadOnlyList<BodyPart> ChildrenOfMessage(BodyPart messageRoot) => messageRoot.IsMultipart ? messageRoot.Parts : [messageRoot];

    private static SectionRange Header(long start, long end, BodyPart? entity, SectionSpec section) =>
        new(start, end, entity, section.Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot ? section : null);

    /// <summary>Applies a partial &lt;origin.count&gt;: the window of <paramref name="length"/> octets to send.</summary>
    public static (long Offset, long Count) Partial(long length, uint? origin, uint? count)
    {
        if (origin is null) return (0, length);
        var start = Math.Min((long)origin.Value, length);
        var n = Math.Min(count ?? long.MaxValue, length - start);
        return (start, n);
    }
}
