using MimeKit;
using Vigil.Core.Delivery;
using Vigil.Core.Messages;

namespace Vigil.Core.Outbound.Dsn;

/// <summary>The third part of a DSN: the original message (RET=FULL) or its header block
/// (RET=HDRS). Without RET, failures return the whole message up to a size limit and delay or
/// success notices return headers only, as Postfix does (RFC 3461 §4.3 leaves it to the MTA).</summary>
public static class ReturnedContent
{
    private const int MaxHeaderBytes = 256 * 1024;

    public static MimeEntity Create(Stream original, long size, DsnReturn ret, bool failure, long maxFullBytes)
    {
        var full = ret switch
        {
            DsnReturn.Full => size <= maxFullBytes,
            DsnReturn.Headers => false,
            _ => failure && size <= maxFullBytes,
        };
        if (full) return new MessagePart("rfc822") { Message = MimeLimits.ParseMessage(original, persistent: false) };

        var headers = ReadHeaderBlock(original);
        return new MimePart("text", "rfc822-headers")
        {
            Content = new MimeContent(new MemoryStream(headers)),
            ContentTransferEncoding = ContentEncoding.EightBit,
        };
    }

    /// <summary>The bytes up to and including the empty line that ends the header section.</summary>
    public static byte[] ReadHeaderBlock(Stream message)
    {
        var buffer = new MemoryStream();
        int previous = -1, b;
        var lineLength = 0;
        while (buffer.Length < MaxHeaderBytes && (b = message.ReadByte()) >= 0)
        {
            buffer.WriteByte((byte)b);
            if (b == '\n')
            {
                if (lineLength == 0 || (lineLength == 1 && previous == '\r')) break;
                lineLength = 0;
            }
            else
            {
                lineLength++;
            }
            previous = b;
        }
        return buffer.ToArray();
    }
}
