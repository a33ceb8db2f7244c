using System.Security.Cryptography;

namespace Vigil.Core.Model;

/// <summary>The name of an immutable message body: the lower-case hex SHA-256 of its bytes.</summary>
public readonly record struct BlobId
{
    public string Hex { get; }

    private BlobId(string hex) => Hex = hex;

    /// <summary>Accepts exactly 64 lower-case hex characters, so a blob id can never carry a path.</summary>
    public static bool TryParse(string? value, out BlobId id)
    {
        id = default;
        if (value is null || value.Length != 64) return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        id = new BlobId(value);
        return true;
    }

    public static BlobId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException("A blob id is 64 lower-case hex characters.");

    public static BlobId FromHash(ReadOnlySpan<byte> sha256) => new(Convert.ToHexStringLower(sha256));

    public static BlobId Compute(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    public override string ToString() => Hex;
}
