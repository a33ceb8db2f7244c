using System.Globalization;
using Vigil.Core.Audit;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Alerts;

namespace Vigil.Ops.Reset;

/// <summary>Forces a credential reset: marks each account's password and app passwords expired
/// (<see cref="IDirectoryStore.SetPasswordAsync"/> does both in one transaction; the hashes stay, so
/// the old password is recognised and refused with a clear reason — SMTP 535 5.7.8, POP3 [AUTH],
/// IMAP [EXPIRED] — rather than looking like a typo), ends the accounts' open sessions, audits and
/// alerts. Only <c>vigil user passwd</c> (or another authenticated path) clears the flag.</summary>
public sealed class ForcedResetService(IDirectoryStore directory, IAuditLog audit, ISessionEnder sessions, AlertDispatcher alerts)
{
    public const string SessionEndReason = "password reset forced by the administrator";

    /// <summary>Resolves the whole scope first, so an unknown address or domain changes nothing.</summary>
    public async Task<IReadOnlyList<Account>> ResetAsync(ForcedResetScope scope, string actor, string source, CancellationToken ct)
    {
        var accounts = await ResolveAsync(scope, ct);
        foreach (var a in accounts)
        {
            await directory.SetPasswordAsync(a.Id, a.PasswordHash, expired: true, ct);
        }
        var names = string.Join(", ", accounts.Select(a => a.Address).Take(50)) + (accounts.Count > 50 ? ", …" : "");
        await audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, actor, source, "user.force_reset", scope.ToString(), new Dictionary<string, string>
        {
            ["count"] = accounts.Count.ToString(CultureInfo.InvariantCulture),
            ["accounts"] = names,
        }), ct);
        await sessions.EndAsync(accounts.Select(a => a.Id).ToList(), SessionEndReason, ct);
        await alerts.RaiseAsync(new Alert(AlertKinds.ForcedReset, scope.ToString(),
            $"{accounts.Count} account(s) must set a new password, by {actor} via {source}: {names}", source, DateTimeOffset.UtcNow), ct);
        return accounts;
    }

    private async Task<IReadOnlyList<Account>> ResolveAsync(ForcedResetScope scope, CancellationToken ct)
    {
        if (scope.All) return await directory.ListAccountsAsync(null, ct);
        if (scope.Domain is { } domain)
        {
            if (await directory.GetDomainAsync(domain, ct) is null) throw new KeyNotFoundException($"no such domain: {domain}");
            return await directory.ListAccountsAsync(domain, ct);
        }
        var found = new List<Account>();
        foreach (var address in scope.Addresses.Distinct())
        {
            found.Add(await directory.GetAccountAsync(address.LocalPart, address.Domain, ct) ?? throw new KeyNotFoundException($"no such account: {address}"));
        }
        return found;
    }
}
