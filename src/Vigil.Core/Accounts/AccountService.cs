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

    /// <summary>Checks a login name (a full address) and password.</summary>
    public async Task<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken ct)
    {
        Account? account = null;
        if (EmailAddress.TryParse(userName, out var address))
        {
            account = await directory.GetAccountAsync(address.LocalPart, address.Domain, ct);
        }
        if (account is null)
        {
            hasher.Verify(password, _dummyHash.Value);
            return AuthResult.Failed;
        }
        if (!hasher.Verify(password, account.PasswordHash)) return AuthResult.Failed;
        return account.PasswordExpired ? new AuthResult(AuthOutcome.PasswordExpired, account) : new AuthResult(AuthOutcome.Success, account);
    }
}
