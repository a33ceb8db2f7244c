namespace Vigil.Core.Outbound;

/// <summary>Exponential back-off between attempts: the first retry after
/// <see cref="OutboundOptions.FirstRetry"/>, doubling up to <see cref="OutboundOptions.MaxRetryInterval"/>,
/// with ±10% jitter so recipients deferred together do not all come back in the same second.</summary>
public sealed class RetryPolicy(OutboundOptions options)
{
    public TimeSpan Delay(int attemptsSoFar, double jitter01)
    {
        var exponent = Math.Clamp(attemptsSoFar - 1, 0, 30);
        var ticks = Math.Min(options.FirstRetry.Ticks * Math.Pow(2, exponent), options.MaxRetryInterval.Ticks);
        var factor = 0.9 + (0.2 * Math.Clamp(jitter01, 0, 1));
        return TimeSpan.FromTicks((long)(ticks * factor));
    }

    public bool IsExpired(DateTimeOffset created, DateTimeOffset now) => now - created >= options.MaxAge;

    public bool IsDelayWarningDue(DateTimeOffset created, DateTimeOffset now) => now - created >= options.DelayWarning;
}
