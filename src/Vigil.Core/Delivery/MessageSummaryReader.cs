using MimeKit;

namespace Vigil.Core.Delivery;

/// <summary>Reads what listings need from a stored message's header block, once, at delivery.</summary>
public static class MessageSummaryReader
{
    public static string? ReadSubject(Stream message)
    {
        try
        {
            var headers = HeaderList.Load(ParserOptions.Default, message);
            return headers[HeaderId.Subject];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
