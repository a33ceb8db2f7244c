using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests;

/// <summary>A directory in dictionaries, for unit tests of what reads it (resolver, sender rules):
/// domains, accounts by address, alias targets by source. Writes are not supported.</summary>
public sealed class InMemoryDirectory : IDirectoryStore
{
    public HashSet<string> Domains { get; } = ["local.test"];
    public Dictionary<string, long> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase) { ["bob@local.test"] = 1, ["carol@local.test"] = 2 };
    public Dictionary<string, List<string>> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<Domain?> GetDomainAsync(string name, CancellationToken ct) =>
        Task.FromResult(Domains.Contains(name) ? new Domain(1, name, default) : null);
    public Task<Account?> GetAccountAsync(string localPart, string domain, CancellationToken ct) =>
        Task.FromResult(Accounts.TryGetValue($"{localPart}@{domain}", out var id) ? new Account(id, 1, localPart, domain, "", 0, 0, false, false, default) : null);
    public Task<IReadOnlyList<string>> GetAliasTargetsAsync(string localPart, string domain, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Aliases.TryGetValue($"{localPart}@{domain}", out var t) ? t : []);

    public Task<Domain> AddDomainAsync(string name, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken ct) => throw new NotSupportedException();
    public Task<bool> RemoveDomainAsync(string name, CancellationToken ct) => throw new NotSupportedException();
    public Task<Account> AddAccountAsync(NewAccount account, CancellationToken ct) => throw new NotSupportedException();
    public Task<Account?> GetAccountByIdAsync(long id, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<Account>> ListAccountsAsync(string? domain, CancellationToken ct) => throw new NotSupportedException();
    public Task SetPasswordAsync(long accountId, string passwordHash, bool expired, CancellationToken ct) => throw new NotSupportedException();
    public Task<bool> RemoveAccountAsync(long accountId, CancellationToken ct) => throw new NotSupportedException();
    public Task<AppPassword> AddAppPasswordAsync(long accountId, string name, string selector, string hash, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<AppPassword>> ListAppPasswordsAsync(long accountId, CancellationToken ct) => throw new NotSupportedException();
    public Task<AppPassword?> FindAppPasswordAsync(long accountId, string selector, CancellationToken ct) => throw new NotSupportedException();
    public Task<bool> RemoveAppPasswordAsync(long accountId, string name, CancellationToken ct) => throw new NotSupportedException();
    public Task MarkAppPasswordUsedAsync(long accountId, long appPasswordId, DateTimeOffset when, CancellationToken ct) => throw new NotSupportedException();
    public Task<Alias> AddAliasAsync(string localPart, string domain, string target, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<Alias>> ListAliasesAsync(string? domain, CancellationToken ct) => throw new NotSupportedException();
    public Task<int> RemoveAliasAsync(string localPart, string domain, string? target, CancellationToken ct) => throw new NotSupportedException();
}
