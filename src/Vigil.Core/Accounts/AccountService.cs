using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Accounts;

/// <summary>Creates accounts and checks credentials, the same way for every protocol.</summary>
public sealed class AccountService(IDirectoryStore directory, IPasswordHasher hasher)
{
    // Verified against when the user does not exist, so a miss costs the same Argon2id work as a
    // wrong password and response time does not reveal which addresses exist.
    private readonly Lazy<string> _dummyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    public async Task<Account> CreateAsync(EmailAddress address, string password, long quotaBytes, bool isAdmin, CancellationToken ct)
    {
        var hash = hasher.Hash(password);
        return await directory.AddAccountAsync(new NewAccount(address.LocalPart, address.Domain, hash, quotaBytes, isAdmin, DefaultMailbox.Standard), ct);
    }

    public async Task SetPasswordAsync(Account account, string password, CancellationToken ct) =>
        await directory.SetPasswordAsync(account.Id, hasher.Hash(password), expired: false, ct);

    /// <summary>Checks a login name (a full address) and password. With
    /// <paramref name="acceptAppPasswords"/> (mail clients: IMAP, POP3, SMTP submission) a string
    /// shaped like an app password is checked against the account's app password with its
    /// selector. Every call verifies exactly one Argon2id hash — the app password's, the
    /// account's, or a dummy — so neither the time taken nor the work done tells whether the user
    /// exists, has app passwords, or which.</summary>
    public async Task<AuthResult> AuthenticateAsync(string userName, string password, bool acceptAppPasswords, CancellationToken ct)
    {
        Account? account = null;
        if (EmailAddress.TryParse(userName, out var address))
        {
            account = await directory.GetAccountAsync(address.LocalPart, address.Domain, ct);
        }
        AppPassword? app = null;
        if (account is not null && acceptAppPasswords && AppPasswordFormat.TryGetSelector(password, out var selector))
        {
            app = await directory.FindAppPasswordAsync(account.Id, selector, ct);
        }
        var verified = hasher.Verify(password, app?.Hash ?? account?.PasswordHash ?? _dummyHash.Value);
        if (!verified || account is null) return AuthResult.Failed;
        if (account.PasswordExpired || app is { Expired: true }) return new AuthResult(AuthOutcome.PasswordExpired, account) { AppPassword = app };
        if (app is null) return new AuthResult(AuthOutcome.Success, account);
        await MarkUsedAsync(app, ct);
        return new AuthResult(AuthOutcome.Success, account) { AppPassword = app };
    }

    // "Last used" is for the admin's list, to the minute: a client polling every few seconds does
    // not write a row each time.
    private async Task MarkUsedAsync(AppPassword app, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (app.LastUsed is { } last && now - last < TimeSpan.FromMinutes(1)) return;
        await directory.MarkAppPasswordUsedAsync(app.AccountId, app.Id, now, ct);
    }
}
