using Vigil.Core.Model;

namespace Vigil.Core.Storage;

/// <summary>DKIM keys per hosted domain; removed with their domain.</summary>
public interface IDkimKeyStore
{
    Task AddAsync(string domain, string selector, DkimAlgorithm algorithm, string privateKeyPem, string publicKey, CancellationToken ct);

    Task<IReadOnlyList<DkimKey>> ListAsync(string domain, CancellationToken ct);
}
