using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>Domains, accounts and aliases. Names are matched case-insensitively; domains are
/// passed already normalised (see <see cref="Addressing.EmailAddress.TryNormaliseDomain"/>).</summary>
public interface IDirectoryStore
{
    Task<Domain> AddDomainAsync(string name, CancellationToken ct);
    Task<Domain?> GetDomainAsync(string name, CancellationToken ct);
    Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken ct);

    /// <summary>Removes a domain that has no accounts left; its aliases go with it.</summary>
    Task<bool> RemoveDomainAsync(string name, CancellationToken ct);

    /// <summary>Creates the account and its default mailboxes in one transaction. Account ids are
    /// never reused, so a re-created address never sees a deleted account's mail.</summary>
    Task<Account> AddAccountAsync(NewAccount account, CancellationToken ct);
    Task<Account?> GetAccountAsync(string localPart, string domain, CancellationToken ct);
    Task<Account?> GetAccountByIdAsync(long id, CancellationToken ct);
    Task<IReadOnlyList<Account>> ListAccountsAsync(string? domain, CancellationToken ct);

    /// <summary>Sets the password hash and the expired flag in one transaction. Expiring (a forced
    /// reset) also expires every app password of the account; clearing the flag (an admin set a new
    /// password) removes the expired app passwords, so they never come back after a reset.</summary>
    Task SetPasswordAsync(long accountId, string passwordHash, bool expired, CancellationToken ct);

    /// <summary>Deletes the account with every mailbox, message and app password it owns.</summary>
    Task<bool> RemoveAccountAsync(long accountId, CancellationToken ct);

    /// <summary>Adds an app password to an account. Names and selectors are unique per account
    /// (names case-insensitively); a clash throws <see cref="InvalidOperationException"/>.</summary>
    Task<AppPassword> AddAppPasswordAsync(long accountId, string name, string selector, string hash, CancellationToken ct);

    /// <summary>The account's app passwords, oldest first.</summary>
    Task<IReadOnlyList<AppPassword>> ListAppPasswordsAsync(long accountId, CancellationToken ct);

    /// <summary>The account's app password with this selector, if any.</summary>
    Task<AppPassword?> FindAppPasswordAsync(long accountId, string selector, CancellationToken ct);

    /// <summary>Removes one app password by name (case-insensitive); false if the account has none by that name.</summary>
    Task<bool> RemoveAppPasswordAsync(long accountId, string name, CancellationToken ct);

    /// <summary>Records when an app password was last used to log in (not fsync'd on its own: a
    /// lost "last used" after a crash is harmless).</summary>
    Task MarkAppPasswordUsedAsync(long accountId, long appPasswordId, DateTimeOffset when, CancellationToken ct);

    Task<Alias> AddAliasAsync(string localPart, string domain, string target, CancellationToken ct);
    Task<IReadOnlyList<string>> GetAliasTargetsAsync(string localPart, string domain, CancellationToken ct);
    Task<IReadOnlyList<Alias>> ListAliasesAsync(string? domain, CancellationToken ct);

    /// <summary>Removes one target of an alias, or every target when <paramref name="target"/> is null.</summary>
    Task<int> RemoveAliasAsync(string localPart, string domain, string? target, CancellationToken ct);
}

/// <summary>What is needed to create an account.</summary>
public sealed record NewAccount(string LocalPart, string Domain, string PasswordHash, long QuotaBytes, bool IsAdmin, IReadOnlyList<DefaultMailbox> Mailboxes);

/// <summary>A mailbox created with every new account, with its RFC 6154 special-use attribute.</summary>
public sealed record DefaultMailbox(string Name, string? SpecialUse)
{
    public static readonly IReadOnlyList<DefaultMailbox> Standard =
    [
        new(Mailbox.Inbox, null),
        new("Sent", @"\Sent"),
        new("Drafts", @"\Drafts"),
        new("Trash", @"\Trash"),
        new("Junk", @"\Junk"),
        new("Archive", @"\Archive"),
    ];
}
