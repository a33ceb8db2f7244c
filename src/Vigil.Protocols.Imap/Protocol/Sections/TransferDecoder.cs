using MimeKit.Encodings;

namespace Vigil.Protocols.Imap.Protocol.Sections;

/// <summary>Undoes a Content-Transfer-Encoding for FETCH BINARY (RFC 3516). Returns null for an
/// encoding we do not know, which the command reports as NO [UNKNOWN-CTE].</summary>
public static class TransferDecoder
{
    public static byte[]? Decode(ReadOnlySpan<byte> encoded, string? encoding)
    {
        var name = (encoding ?? "").Trim().ToLowerInvariant();
        if (name is "" or "7bit" or "8bit" or "binary") return encoded.ToArray();
        IMimeDecoder? decoder = name switch
        {
            "base64" => new Base64Decoder(),
            "quoted-printable" => new QuotedPrintableDecoder(),
            "x-uuencode" or "uuencode" => new UUDecoder(),
            _ => null,
        };
        if (decoder is null) return null;
        var input = encoded.ToArray();
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        var n = decoder.Decode(input, 0, input.Length, output);
        return output.AsSpan(0, n).ToArray();
    }
}
