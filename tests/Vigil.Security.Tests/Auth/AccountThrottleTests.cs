using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vigil.Security.Auth;
using Vigil.Security.Bans;

namespace Vigil.Security.Tests.Auth;

public class AccountThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly AutoBanOptions _options = new();
    private static readonly IPAddress Attacker = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress Owner = IPAddress.Parse("192.0.2.44");

    private void Attempt(AccountThrottle t, IPAddress from, string user, bool success) =>
        t.Record(new AuthAttempt(from, user, "imap", success, _time.GetUtcNow()));

    [Fact]
    public void Failures_beyond_the_free_ones_slow_the_account_down_doubling_to_a_cap()
    {
        var throttle = new AccountThrottle(_options, _time);
        var delays = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            delays.Add(throttle.DelayFor(Attacker, "alice@example.org").TotalSeconds);
            Attempt(throttle, Attacker, "alice@example.org", false);
        }
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 15, 15], delays);
        // Other accounts are untouched; the name is matched case-insensitively.
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(Attacker, "bob@example.org"));
        Assert.Equal(TimeSpan.FromSeconds(15), throttle.DelayFor(IPAddress.Parse("203.0.113.1"), " ALICE@example.org"));
        // The slow-down wears off with the window; the account is never locked.
        _time.Advance(_options.AccountFailureWindow + TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(Attacker, "alice@example.org"));
    }

    [Fact]
    public void A_name_that_does_not_exist_is_slowed_exactly_like_one_that_does()
    {
        var throttle = new AccountThrottle(_options, _time);
        for (var i = 0; i < 8; i++)
        {
            Attempt(throttle, Attacker, "alice@example.org", false);
            Attempt(throttle, Attacker, "nobody@example.org", false);
        }
        Assert.Equal(throttle.DelayFor(Attacker, "alice@example.org"), throttle.DelayFor(Attacker, "nobody@example.org"));
        Assert.NotEqual(TimeSpan.Zero, throttle.DelayFor(Attacker, "nobody@example.org"));
    }

    [Fact]
    public void The_owners_known_network_is_not_slowed_during_an_attack()
    {
        var throttle = new AccountThrottle(_options, _time);
        Attempt(throttle, Owner, "alice@example.org", true);
        _time.Advance(TimeSpan.FromDays(3));
        for (var i = 0; i < 20; i++) Attempt(throttle, Attacker, "alice@example.org", false);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(Owner, "alice@example.org"));
        Assert.Equal(_options.MaxLoginDelay, throttle.DelayFor(Attacker, "alice@example.org"));
        // Trust is per account: the owner's network is not trusted for someone else's account.
        for (var i = 0; i < 20; i++) Attempt(throttle, Attacker, "bob@example.org", false);
        Assert.Equal(_options.MaxLoginDelay, throttle.DelayFor(Owner, "bob@example.org"));
    }
}
