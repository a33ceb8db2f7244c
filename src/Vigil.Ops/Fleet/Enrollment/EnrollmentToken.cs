using System.Security.Cryptography;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Enrollment;

/// <summary>A one-time enrollment token: <c>vgl1.SECRET.CONSOLEKEYID</c>. The secret (32 random
/// bytes, base64url) proves the member was invited; the console's key id lets the member check,
/// before trusting anything, that the console it reached holds the key the admin meant.</summary>
public sealed record EnrollmentToken(string Secret, string ConsoleId)
{
    public const string Prefix = "vgl1";

    public static EnrollmentToken Create(string consoleId) =>
        new(Base64Url(RandomNumberGenerator.GetBytes(32)), consoleId);

    /// <summary>The name under which the console stores the token: a hash, never the secret.</summary>
    public string Hash => HashOf(Secret);

    public override string ToString() => $"{Prefix}.{Secret}.{ConsoleId}";

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret)));

    public static bool TryParse(string? text, out EnrollmentToken token)
    {
        token = null!;
        var parts = text?.Trim().Split('.');
        if (parts is not [Prefix, var secret, var consoleId] || secret.Length != 43 || !secret.All(IsBase64UrlChar) || !KeyId.IsWellFormed(consoleId)) return false;
        token = new EnrollmentToken(secret, consoleId);
        return true;
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
