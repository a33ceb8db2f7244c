using System.Globalization;

namespace Vigil.Core.Addressing;

/// <summary>An address split into local part and a normalised domain (lower-case A-label, as
/// RFC 5890 compares domains). The local part keeps its case; matching on it is case-insensitive.</summary>
public sealed record EmailAddress(string LocalPart, string Domain)
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public override string ToString() => $"{LocalPart}@{Domain}";

    /// <summary>Parses <c>local@domain</c> (no angle brackets, no quoting) as it comes out of an
    /// SMTP path or a command-line argument. The last '@' splits, so a local part such as
    /// <c>"a@b"</c> (already unquoted) stays whole.</summary>
    public static bool TryParse(string? text, out EmailAddress address)
    {
        address = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 320) return false;
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1) return false;
        var local = text[..at];
        if (local.Length > 64 * 4) return false;
        if (!TryNormaliseDomain(text[(at + 1)..], out var domain)) return false;
        foreach (var c in local)
        {
            if (char.IsControl(c)) return false;
        }
        address = new EmailAddress(local, domain);
        return true;
    }

    public static EmailAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not a valid e-mail address.");

    /// <summary>Lower-cases and converts a domain to its A-label form. A trailing dot is not
    /// removed: <c>example.org.</c> is not a name we host, so it can never be used to slip
    /// past the local-domain check.</summary>
    public static bool TryNormaliseDomain(string? domain, out string normalised)
    {
        normalised = "";
        if (string.IsNullOrEmpty(domain) || domain.Length > 255) return false;
        if (domain.StartsWith('[')) return false; // address literals are never local
        if (domain.EndsWith('.') || domain.StartsWith('.') || domain.Contains("..", StringComparison.Ordinal)) return false;
        try
        {
            var ascii = Idn.GetAscii(domain);
            normalised = ascii.ToLowerInvariant();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The local part without a <c>+tag</c> suffix, or null when there is no tag.</summary>
    public string? LocalPartWithoutTag()
    {
        var plus = LocalPart.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? LocalPart[..plus] : null;
    }
}
