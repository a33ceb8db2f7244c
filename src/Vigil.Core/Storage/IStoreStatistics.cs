namespace Vigil.Core.Storage;

/// <summary>Whole-store totals for an instance's self-report (status, fleet heartbeat). Only
/// counts: no content, no names, nothing that belongs to one account.</summary>
public interface IStoreStatistics
{
    Task<StoreCounts> CountAsync(CancellationToken ct);
}

public sealed record StoreCounts(long Domains, long Accounts, long Messages);
