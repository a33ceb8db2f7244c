using System.Globalization;

namespace Vigil.Security.MailAuth.Dmarc;

/// <summary>A DMARC policy record (RFC 7489 §6.3). Pure.</summary>
public sealed record DmarcRecord(DmarcPolicy Policy, DmarcPolicy? SubdomainPolicy, bool StrictDkim, bool StrictSpf, int Percent, bool PublicSuffix)
{
    /// <summary>"v=DMARC1" must be the first tag (§6.3); anything else is not a DMARC record.</summary>
    public static bool IsDmarc(string txt)
    {
        var first = txt.Split(';', 2)[0].Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal);
        return first.Equals("v=DMARC1", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>False when the record has no usable policy: §6.6.3 says to apply none then, unless
    /// it has a valid rua= (then p=none), which for a receiver that sends no reports is the same.</summary>
    public static bool TryParse(string txt, out DmarcRecord record)
    {
        record = new DmarcRecord(DmarcPolicy.None, null, false, false, 100, false);
        if (!IsDmarc(txt)) return false;
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in txt.Split(';').Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            tags.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim());
        }
        if (!tags.TryGetValue("p", out var p) || ParsePolicy(p) is not { } policy) return false;
        DmarcPolicy? sp = tags.TryGetValue("sp", out var spText) ? ParsePolicy(spText) : null;
        var pct = 100;
        if (tags.TryGetValue("pct", out var pctText) && int.TryParse(pctText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= 100) pct = parsed;
        record = new DmarcRecord(policy, sp,
            tags.TryGetValue("adkim", out var adkim) && adkim.Equals("s", StringComparison.OrdinalIgnoreCase),
            tags.TryGetValue("aspf", out var aspf) && aspf.Equals("s", StringComparison.OrdinalIgnoreCase),
            pct,
            tags.TryGetValue("psd", out var psd) && psd.Equals("y", StringComparison.OrdinalIgnoreCase));
        return true;
    }

    private static DmarcPolicy? ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };
}

/// <summary>What a domain owner asks receivers to do with mail that fails DMARC.</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}
