using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Vigil.Security.MailAuth.Spf;

/// <summary>A parsed SPF record (RFC 7208 §4.6, §12): its directives in order and the redirect and
/// exp modifiers. Pure; any syntax error makes the whole record a permerror (§4.6).</summary>
public sealed partial record SpfRecord(IReadOnlyList<SpfDirective> Directives, string? Redirect, string? Explanation)
{
    /// <summary>True for the TXT strings that are SPF records: "v=spf1" alone or followed by a space (§4.5).</summary>
    public static bool IsSpf(string txt) =>
        txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    public static bool TryParse(string txt, out SpfRecord record, out string error)
    {
        record = new SpfRecord([], null, null);
        error = "";
        if (!IsSpf(txt))
        {
            error = "not an SPF record";
            return false;
        }
        var directives = new List<SpfDirective>();
        string? redirect = null, exp = null;
        foreach (var term in txt[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = term.IndexOf('=', StringComparison.Ordinal);
            var colon = term.IndexOf(':', StringComparison.Ordinal);
            var slash = term.IndexOf('/', StringComparison.Ordinal);
            var nameEnd = new[] { colon, slash }.Where(i => i >= 0).DefaultIfEmpty(term.Length).Min();
            if (eq > 0 && eq < nameEnd)
            {
                // modifier: name "=" macro-string
                var name = term[..eq];
                var value = term[(eq + 1)..];
                if (!ModifierName().IsMatch(name) || !SpfMacro.IsValidMacroString(value))
                {
                    error = $"bad modifier '{term}'";
                    return false;
                }
                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase))
                {
                    if (redirect is not null || !IsDomainSpec(value)) { error = "bad or repeated redirect"; return false; }
                    redirect = value;
                }
                else if (name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    if (exp is not null || !IsDomainSpec(value)) { error = "bad or repeated exp"; return false; }
                    exp = value;
                }
                continue; // unknown modifiers are ignored (§6)
            }
            if (!TryParseDirective(term, out var directive))
            {
                error = $"bad term '{term}'";
                return false;
            }
            directives.Add(directive);
        }
        record = new SpfRecord(directives, redirect, exp);
        return true;
    }

    private static bool TryParseDirective(string term, out SpfDirective directive)
    {
        directive = null!;
        var qualifier = SpfResult.Pass;
        switch (term[0])
        {
            case '+': qualifier = SpfResult.Pass; term = term[1..]; break;
            case '-': qualifier = SpfResult.Fail; term = term[1..]; break;
            case '~': qualifier = SpfResult.SoftFail; term = term[1..]; break;
            case '?': qualifier = SpfResult.Neutral; term = term[1..]; break;
        }
        var colon = term.IndexOf(':', StringComparison.Ordinal);
        var slash = term.IndexOf('/', StringComparison.Ordinal);
        var nameEnd = new[] { colon, slash }.Where(i => i >= 0).DefaultIfEmpty(term.Length).Min();
        var name = term[..nameEnd].ToLowerInvariant();
        var rest = term[nameEnd..];
        string? argument = rest.StartsWith(':') ? rest[1..] : null;
        switch (name)
        {
            case "all" when rest.Length == 0:
                directive = new SpfDirective(qualifier, SpfMechanism.All, null, 32, 128, null);
                return true;
            case "include" or "exists" when argument is not null && IsDomainSpec(argument):
                directive = new SpfDirective(qualifier, name == "include" ? SpfMechanism.Include : SpfMechanism.Exists, argument, 32, 128, null);
                return true;
            case "ptr" when rest.Length == 0 || (argument is not null && IsDomainSpec(argument)):
                directive = new SpfDirective(qualifier, SpfMechanism.Ptr, argument, 32, 128, null);
                return true;
            case "a" or "mx":
            {
                // a[:domain-spec][/cidr4][//cidr6]: the CIDR suffix is split off the end first,
                // because a domain-spec may itself contain '/'.
                var text = argument ?? rest;
                var m = DualCidr().Match(text);
                if (!m.Success) return false;
                var domain = text[..m.Index];
                if (argument is null && domain.Length > 0) return false;
                if (argument is not null && !IsDomainSpec(domain)) return false;
                var v4 = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 32;
                var v6 = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 128;
                if (v4 > 32 || v6 > 128) return false;
                directive = new SpfDirective(qualifier, name == "a" ? SpfMechanism.A : SpfMechanism.Mx, argument is null ? null : domain, v4, v6, null);
                return true;
            }
            case "ip4" or "ip6" when argument is not null:
            {
                var cut = argument.IndexOf('/', StringComparison.Ordinal);
                var addressText = cut < 0 ? argument : argument[..cut];
                var family = name == "ip4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                var max = name == "ip4" ? 32 : 128;
                var prefix = max;
                if (cut >= 0 && !TryCidr(argument[(cut + 1)..], max, out prefix)) return false;
                if (!IPAddress.TryParse(addressText, out var address) || address.AddressFamily != family) return false;
                if (family == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3) return false; // "1.2" is not dotted-quad
                directive = new SpfDirective(qualifier, name == "ip4" ? SpfMechanism.Ip4 : SpfMechanism.Ip6, null, prefix, prefix, Bans.Networks.Mask(address, prefix));
                return true;
            }
        }
        return false;
    }

    private static bool TryCidr(string text, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max && !(text.Length > 1 && text[0] == '0');

    /// <summary>domain-spec = macro-string domain-end (§7.1): after the macros, the name must end
    /// in a macro or in a top label that is not all digits.</summary>
    public static bool IsDomainSpec(string spec)
    {
        if (spec.Length == 0 || !SpfMacro.IsValidMacroString(spec)) return false;
        if (spec.EndsWith('}')) return true;
        var trimmed = spec.EndsWith('.') ? spec[..^1] : spec;
        var dot = trimmed.LastIndexOf('.');
        if (dot < 0) return false;
        var top = trimmed[(dot + 1)..];
        return TopLabel().IsMatch(top);
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-_.]*$")]
    private static partial Regex ModifierName();

    [GeneratedRegex(@"(?:/(0|[1-9][0-9]?))?(?://(0|[1-9][0-9]{0,2}))?$")]
    private static partial Regex DualCidr();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$")]
    private static partial Regex TopLabel();
}

/// <summary>The SPF mechanisms (§5).</summary>
public enum SpfMechanism
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>One directive: qualifier, mechanism and its argument (domain-spec, CIDR lengths or network).</summary>
public sealed record SpfDirective(SpfResult Qualifier, SpfMechanism Mechanism, string? DomainSpec, int Cidr4, int Cidr6, IPNetwork? Network)
{
    /// <summary>The mechanisms that cost a DNS lookup and count toward the limit of 10 (§4.6.4).</summary>
    public bool CountsAsLookup => Mechanism is SpfMechanism.Include or SpfMechanism.A or SpfMechanism.Mx or SpfMechanism.Ptr or SpfMechanism.Exists;
}
