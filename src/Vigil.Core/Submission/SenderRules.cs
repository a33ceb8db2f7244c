using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Submission;

/// <summary>Which addresses an authenticated account may use as envelope sender and in From: its
/// own address (with or without a +tag), every alias that points straight at it, and the extra
/// patterns an admin granted it. A catch-all does not count: receiving a domain's stray mail is no
/// licence to send as anyone in it.</summary>
public sealed class SenderRules(IDirectoryStore directory, ISendPolicyStore policies)
{
    public async Task<bool> MayUseAsync(Account account, EmailAddress address, CancellationToken ct)
    {
        if (IsOwn(account, address)) return true;
        foreach (var pattern in (await policies.GetAsync(account.Id, ct)).ExtraSenders)
        {
            if (Matches(pattern, address)) return true;
        }
        return await IsAliasOfAsync(account, address.LocalPart, address.Domain, ct)
            || (address.LocalPartWithoutTag() is { } untagged && await IsAliasOfAsync(account, untagged, address.Domain, ct));
    }

    private static bool IsOwn(Account account, EmailAddress address)
    {
        if (!address.Domain.Equals(account.DomainName, StringComparison.OrdinalIgnoreCase)) return false;
        return address.LocalPart.Equals(account.LocalPart, StringComparison.OrdinalIgnoreCase)
            || (address.LocalPartWithoutTag()?.Equals(account.LocalPart, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    private async Task<bool> IsAliasOfAsync(Account account, string localPart, string domain, CancellationToken ct)
    {
        if (localPart == Alias.CatchAll) return false;
        var targets = await directory.GetAliasTargetsAsync(localPart, domain, ct);
        return targets.Any(t => t.Equals(account.Address, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A pattern is an exact address, <c>*@domain</c> or <c>*</c>.</summary>
    public static bool Matches(string pattern, EmailAddress address)
    {
        if (pattern == "*") return true;
        if (pattern.StartsWith("*@", StringComparison.Ordinal)) return pattern[2..].Equals(address.Domain, StringComparison.OrdinalIgnoreCase);
        return pattern.Equals(address.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsValidPattern(string pattern) =>
        pattern == "*"
        || (pattern.StartsWith("*@", StringComparison.Ordinal) && EmailAddress.TryNormaliseDomain(pattern[2..], out var d) && d == pattern[2..])
        || (EmailAddress.TryParse(pattern, out var a) && a.ToString() == pattern);
}
