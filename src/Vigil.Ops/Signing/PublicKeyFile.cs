namespace Vigil.Ops.Signing;

/// <summary>The text form of an Ed25519 public key as written by <c>vigil-advisories keygen</c>:
/// comment lines starting with <c>#</c>, then one line <c>ed25519 BASE64</c> (a bare base64 line
/// is accepted too).</summary>
public static class PublicKeyFile
{
    public const string Prefix = "ed25519";

    public static string Format(ReadOnlySpan<byte> publicKey, string comment) =>
        $"# {comment}\n# key id {KeyId.Of(publicKey)}\n{Prefix} {Convert.ToBase64String(publicKey)}\n";

    public static bool TryParse(string text, out byte[] publicKey, out string error)
    {
        publicKey = [];
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#')).ToArray();
        if (lines.Length != 1)
        {
            error = "expected exactly one key line (ed25519 BASE64)";
            return false;
        }
        var parts = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var encoded = parts switch
        {
            [var only] => only,
            [Prefix, var key] => key,
            _ => null,
        };
        byte[] raw;
        try
        {
            raw = encoded is null ? [] : Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            raw = [];
        }
        if (!Ed25519.IsValidPublicKey(raw))
        {
            error = "not an Ed25519 public key (32 bytes, base64)";
            return false;
        }
        publicKey = raw;
        error = "";
        return true;
    }
}
