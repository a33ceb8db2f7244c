using System.Net;
using Vigil.Security.Bans;

namespace Vigil.Security.Limits;

/// <summary>Recipients per hour: per account when the sender is authenticated, per client network
/// otherwise. Allow-listed networks are not limited.</summary>
public sealed class RecipientRateLimiter
{
    private readonly RateLimitOptions _options;
    private readonly BanList _bans;
    private readonly WindowCounter<long> _accounts;
    private readonly WindowCounter<IPNetwork> _networks;

    public RecipientRateLimiter(RateLimitOptions options, BanList bans, AutoBanOptions autoBan, TimeProvider time)
    {
        _options = options;
        _bans = bans;
        _accounts = new WindowCounter<long>(TimeSpan.FromHours(1), options.MaxTrackedKeys, time);
        _networks = new WindowCounter<IPNetwork>(TimeSpan.FromHours(1), options.MaxTrackedKeys, time);
        Ipv4Prefix = autoBan.Ipv4Prefix;
        Ipv6Prefix = autoBan.Ipv6Prefix;
    }

    private int Ipv4Prefix { get; }
    private int Ipv6Prefix { get; }

    /// <summary>Takes one recipient from the budget; false (and nothing taken) when it is spent.</summary>
    public bool TryTake(long? accountId, IPAddress remote)
    {
        if (_bans.IsExempt(remote)) return true;
        return accountId is { } id
            ? TryTake(_accounts, id, _options.RecipientsPerHourPerAccount)
            : TryTake(_networks, Networks.KeyOf(remote, Ipv4Prefix, Ipv6Prefix), _options.RecipientsPerHourPerIp);
    }

    private static bool TryTake<TKey>(WindowCounter<TKey> counter, TKey key, int limit) where TKey : notnull
    {
        if (counter.Count(key) >= limit) return false;
        counter.Add(key);
        return true;
    }
}
