using Vigil.Core.Storage;
using Vigil.Ops.Advisories;

namespace Vigil.Ops.Principals;

/// <summary>Every administrator account, read from the store.</summary>
public sealed class AdminAccountsSource(IDirectoryStore directory) : IPrivilegedPrincipalSource
{
    public async Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct) =>
        (await directory.ListAccountsAsync(null, ct)).Where(a => a.IsAdmin)
            .Select(a => new PrivilegedPrincipal(PrivilegedPrincipal.Admin, a.Address, $"{a.Address} is an administrator (account {a.Id}, created {a.Created:yyyy-MM-ddTHH:mm:ssZ})"))
            .ToList();
}

/// <summary>Every app password of an administrator account: a password for a mail client that
/// opens an admin's mailbox. Named by address, app-password name and row id, so one revoked and
/// re-added under the same name between two checks is still new.</summary>
public sealed class AdminAppPasswordsSource(IDirectoryStore directory) : IPrivilegedPrincipalSource
{
    public async Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct)
    {
        var found = new List<PrivilegedPrincipal>();
        foreach (var admin in (await directory.ListAccountsAsync(null, ct)).Where(a => a.IsAdmin))
        {
            found.AddRange((await directory.ListAppPasswordsAsync(admin.Id, ct)).Select(p => new PrivilegedPrincipal(PrivilegedPrincipal.AdminAppPassword,
                $"{admin.Address}/{p.Name}#{p.Id}", $"administrator {admin.Address} has an app password {p.Name} (created {p.Created:yyyy-MM-ddTHH:mm:ssZ})")));
        }
        return found;
    }
}

/// <summary>Every advisory-feed key an admin trusted (the vendor's key is built in and not listed).</summary>
public sealed class TrustedAdvisoryKeysSource(TrustedKeyStore keys) : IPrivilegedPrincipalSource
{
    public Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<PrivilegedPrincipal>>(keys.Load()
            .Select(k => new PrivilegedPrincipal(PrivilegedPrincipal.TrustedKey, k.KeyId, $"advisory feed key {k.KeyId} is trusted ({k.Comment})"))
            .ToList());
}

/// <summary>Scheduled jobs (and routes, and anything else defined only in the config) as a fixed
/// list the host reads from its config.</summary>
public sealed class StaticPrincipalsSource(IReadOnlyList<PrivilegedPrincipal> principals) : IPrivilegedPrincipalSource
{
    public Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct) => Task.FromResult(principals);
}

/// <summary>Every route and relay host (smart host) outbound mail may be sent through.</summary>
public sealed class RoutesSource(Vigil.Core.Outbound.Routing.IRouteStore? routes) : IPrivilegedPrincipalSource
{
    public async Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct) => routes is null ? [] :
        (await routes.ListAsync(ct)).Select(r => new PrivilegedPrincipal(PrivilegedPrincipal.Route, r.ToString(), $"mail for {r.Domain} is routed: {r}")).ToList();
}
