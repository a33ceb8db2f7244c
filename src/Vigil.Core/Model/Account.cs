namespace Vigil.Core.Model;

/// <summary>A mailbox owner: one address with a password, a quota and its folders.</summary>
public sealed record Account(
    long Id,
    long DomainId,
    string LocalPart,
    string DomainName,
    string PasswordHash,
    long QuotaBytes,
    long UsedBytes,
    bool IsAdmin,
    bool PasswordExpired,
    DateTimeOffset Created)
{
    public string Address => $"{LocalPart}@{DomainName}";

    /// <summary>Zero means no limit.</summary>
    public bool HasQuota => QuotaBytes > 0;
}
