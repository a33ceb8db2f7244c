using MimeKit;

namespace Vigil.Core.Delivery;

/// <summary>How messages Vigil generates or re-serialises are written: CRLF line endings, as on the wire
/// and in the blob store (RFC 5322 §2.1).</summary>
public static class WireFormat
{
    public static FormatOptions Options { get; } = Create();

    private static FormatOptions Create()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
