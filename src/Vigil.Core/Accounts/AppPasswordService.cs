using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Accounts;

/// <summary>Creates, lists and revokes an account's app passwords (docs/security.md, "App
/// passwords"). The clear password exists only in the value <see cref="CreateAsync"/> returns.</summary>
public sealed class AppPasswordService(IDirectoryStore directory, IPasswordHasher hasher)
{
    private const int SelectorAttempts = 8;

    /// <summary>A new app password for the account; the clear text is returned once and never stored.</summary>
    public async Task<(AppPassword Entry, string Password)> CreateAsync(Account account, string name, CancellationToken ct)
    {
        if (!AppPasswordFormat.IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid app password name (1-64 letters, digits, '.', '_', '-')", nameof(name));
        // A forced reset stands until an admin sets a new password; a new credential must not bypass it.
        if (account.PasswordExpired) throw new InvalidOperationException($"{account.Address} must get a new password first (forced reset)");
        var existing = await directory.ListAppPasswordsAsync(account.Id, ct);
        if (existing.Any(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))) throw new InvalidOperationException($"{account.Address} already has an app password named {name}");
        var selectors = existing.Select(a => a.Selector).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < SelectorAttempts; i++)
        {
            var password = AppPasswordFormat.Generate();
            AppPasswordFormat.TryGetSelector(password, out var selector);
            if (selectors.Contains(selector)) continue; // one in ten million per existing entry
            var entry = await directory.AddAppPasswordAsync(account.Id, name, selector, hasher.Hash(password), ct);
            return (entry, password);
        }
        throw new InvalidOperationException("could not pick an unused selector; try again");
    }

    public Task<IReadOnlyList<AppPassword>> ListAsync(Account account, CancellationToken ct) => directory.ListAppPasswordsAsync(account.Id, ct);

    /// <summary>Removes one app password by name; returns what was removed (its id names the
    /// sessions opened with it), or null if the account has none by that name.</summary>
    public async Task<AppPassword?> RevokeAsync(Account account, string name, CancellationToken ct)
    {
        var entry = (await directory.ListAppPasswordsAsync(account.Id, ct)).FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
        return entry is not null && await directory.RemoveAppPasswordAsync(account.Id, entry.Name, ct) ? entry : null;
    }
}
