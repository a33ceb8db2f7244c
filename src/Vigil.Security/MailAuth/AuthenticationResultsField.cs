using System.Text;
using MimeKit.Cryptography;

namespace Vigil.Security.MailAuth;

/// <summary>Writes Vigil's one Authentication-Results field (RFC 8601) and recognises fields that
/// claim Vigil's authserv-id, which must not survive on incoming mail (§5).</summary>
public static class AuthenticationResultsField
{
    public const string Name = "Authentication-Results";

    /// <summary>The complete field, folded one method per line, ending in CRLF.</summary>
    public static string Build(string authservId, IReadOnlyList<AuthenticationMethodResult> results)
    {
        var sb = new StringBuilder(Name).Append(": ").Append(authservId);
        if (results.Count == 0) return sb.Append("; none\r\n").ToString();
        foreach (var r in results) sb.Append(";\r\n\t").Append(r);
        return sb.Append("\r\n").ToString();
    }

    public static AuthenticationMethodResult Method(string method, string result, string? comment, params (string Type, string Property, string? Value)[] properties)
    {
        var r = new AuthenticationMethodResult(method, result) { ResultComment = comment is null ? null : Comment(comment) };
        foreach (var (type, property, value) in properties)
        {
            if (!string.IsNullOrEmpty(value)) r.Properties.Add(new AuthenticationMethodProperty(type, property, value));
        }
        return r;
    }

    /// <summary>A predicate over raw header fields that selects Authentication-Results fields whose
    /// authserv-id is <paramref name="authservId"/> (compared case-insensitively). A field too
    /// malformed to parse is judged by its first word.</summary>
    public static Func<ReadOnlyMemory<byte>, bool> ClaimsToBeFrom(string authservId) => raw =>
    {
        var span = raw.Span;
        var colon = span.IndexOf((byte)':');
        if (colon < 0) return false;
        var name = Encoding.ASCII.GetString(span[..colon]).TrimEnd(' ', '\t');
        if (!name.Equals(Name, StringComparison.OrdinalIgnoreCase)) return false;
        var value = span[(colon + 1)..].ToArray();
        var id = AuthenticationResults.TryParse(value, out var parsed) ? parsed.AuthenticationServiceIdentifier : FirstWord(value);
        return string.Equals(id?.Trim(), authservId, StringComparison.OrdinalIgnoreCase);
    };

    private static string? FirstWord(byte[] value)
    {
        var text = Encoding.UTF8.GetString(value).TrimStart(' ', '\t', '\r', '\n');
        var end = text.IndexOfAny([';', ' ', '\t', '\r', '\n', '(']);
        return end < 0 ? text : text[..end];
    }

    // Comments are free text from DNS and signatures: keep them printable and balanced.
    private static string Comment(string text) =>
        new(text.Where(c => c is >= ' ' and < (char)127 and not '(' and not ')' and not '\\').Take(120).ToArray());
}
