namespace Vigil.Protocols.Imap.Protocol.Requests;

/// <summary>One data item of FETCH.</summary>
public abstract record FetchItem;

public enum FetchAttribute
{
    Envelope,
    Flags,
    InternalDate,
    Rfc822,
    Rfc822Header,
    Rfc822Size,
    Rfc822Text,
    /// <summary>BODY without a section: the non-extensible BODYSTRUCTURE.</summary>
    Body,
    BodyStructure,
    Uid,
    ModSeq,
}

public sealed record AttributeItem(FetchAttribute Attribute) : FetchItem;

/// <summary>BODY[section]&lt;partial&gt;, BODY.PEEK[...] or BINARY[.PEEK][part]&lt;partial&gt; (RFC 3516).</summary>
public sealed record SectionItem(SectionSpec Section, bool Peek, bool Binary, uint? PartialOffset, uint? PartialLength) : FetchItem;

/// <summary>BINARY.SIZE[part] (RFC 3516).</summary>
public sealed record BinarySizeItem(IReadOnlyList<int> Part) : FetchItem;

public enum SectionText
{
    None,
    Header,
    HeaderFields,
    HeaderFieldsNot,
    Text,
    Mime,
}

/// <summary>A body section (RFC 9051 §6.4.5): part numbers, then what of that part.</summary>
public sealed record SectionSpec(IReadOnlyList<int> Part, SectionText Text, IReadOnlyList<string> Fields)
{
    public static readonly SectionSpec Whole = new([], SectionText.None, []);

    /// <summary>The section as the response names it, e.g. "1.2.HEADER.FIELDS (FROM TO)".</summary>
    public override string ToString()
    {
        var part = string.Join('.', Part);
        var text = Text switch
        {
            SectionText.Header => "HEADER",
            SectionText.HeaderFields => "HEADER.FIELDS (" + string.Join(' ', Fields) + ")",
            SectionText.HeaderFieldsNot => "HEADER.FIELDS.NOT (" + string.Join(' ', Fields) + ")",
            SectionText.Text => "TEXT",
            SectionText.Mime => "MIME",
            _ => "",
        };
        return part.Length == 0 ? text : text.Length == 0 ? part : part + "." + text;
    }
}
