namespace Vigil.Security.MailAuth.Spf;

/// <summary>RFC 7208 §2.6 results.</summary>
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

/// <summary>The SPF verdict for one identity: the result, the domain checked, why (for logs and
/// the Authentication-Results comment) and, on fail, the domain's explanation if it published one.</summary>
public sealed record SpfOutcome(SpfResult Result, string Domain, string? Problem = null, string? Explanation = null)
{
    /// <summary>The result keyword of RFC 8601 §2.7.2.</summary>
    public string Keyword => Result.ToString().ToLowerInvariant();
}
