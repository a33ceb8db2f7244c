using Vigil.Core.Addressing;

namespace Vigil.Ops.Reset;

/// <summary>Whose credentials a forced reset expires: every account, one domain's, or a list.</summary>
public sealed record ForcedResetScope(bool All, string? Domain, IReadOnlyList<EmailAddress> Addresses)
{
    public static ForcedResetScope Everyone { get; } = new(true, null, []);

    public static ForcedResetScope ForDomain(string domain) => new(false, domain, []);

    public static ForcedResetScope For(IReadOnlyList<EmailAddress> addresses) => new(false, null, addresses);

    public override string ToString() => All ? "all accounts" : Domain is not null ? $"domain {Domain}" : string.Join(", ", Addresses);
}
