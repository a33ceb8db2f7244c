using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Addressing;

/// <summary>Maps an envelope recipient to accounts: exact account, exact alias, plus-addressing
/// (<c>user+tag@</c>), then the domain's catch-all. Alias chains are followed to a fixed depth.</summary>
public sealed class RecipientResolver(IDirectoryStore directory)
{
    private const int MaxAliasDepth = 8;

    public async Task<RecipientResolution> ResolveAsync(EmailAddress address, CancellationToken ct)
    {
        var accounts = new List<long>();
        var remote = new List<EmailAddress>();
        var kind = await ExpandAsync(address, 0, accounts, remote, new HashSet<string>(StringComparer.OrdinalIgnoreCase), ct);
        return kind switch
        {
            RecipientKind.Resolved => new RecipientResolution(kind, accounts.Distinct().ToList(), remote),
            RecipientKind.NotLocalDomain => RecipientResolution.NotLocal,
            _ => RecipientResolution.Unknown,
        };
    }

    private async Task<RecipientKind> ExpandAsync(EmailAddress address, int depth, List<long> accounts, List<EmailAddress> remote, HashSet<string> seen, CancellationToken ct)
    {
        if (depth > MaxAliasDepth || !seen.Add(address.ToString())) return RecipientKind.Unknown;
        var domain = await directory.GetDomainAsync(address.Domain, ct);
        if (domain is null)
        {
            if (depth == 0) return RecipientKind.NotLocalDomain;
            remote.Add(address);
            return RecipientKind.Resolved;
        }

        if (await TryLocalPartAsync(address.LocalPart, address, depth, accounts, remote, seen, ct)) return RecipientKind.Resolved;
        var untagged = address.LocalPartWithoutTag();
        if (untagged is not null && await TryLocalPartAsync(untagged, address, depth, accounts, remote, seen, ct)) return RecipientKind.Resolved;

        var catchAll = await directory.GetAliasTargetsAsync(Alias.CatchAll, address.Domain, ct);
        return await ExpandTargetsAsync(catchAll, depth, accounts, remote, seen, ct) ? RecipientKind.Resolved : RecipientKind.Unknown;
    }

    private async Task<bool> TryLocalPartAsync(string localPart, EmailAddress address, int depth, List<long> accounts, List<EmailAddress> remote, HashSet<string> seen, CancellationToken ct)
    {
        var account = await directory.GetAccountAsync(localPart, address.Domain, ct);
        if (account is not null)
        {
            accounts.Add(account.Id);
            return true;
        }
        var targets = await directory.GetAliasTargetsAsync(localPart, address.Domain, ct);
        return await ExpandTargetsAsync(targets, depth, accounts, remote, seen, ct);
    }

    private async Task<bool> ExpandTargetsAsync(IReadOnlyList<string> targets, int depth, List<long> accounts, List<EmailAddress> remote, HashSet<string> seen, CancellationToken ct)
    {
        var any = false;
        foreach (var target in targets)
        {
            if (!EmailAddress.TryParse(target, out var t)) continue;
            if (await ExpandAsync(t, depth + 1, accounts, remote, seen, ct) == RecipientKind.Resolved) any = true;
        }
        return any;
    }
}
