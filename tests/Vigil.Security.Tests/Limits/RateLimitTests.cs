using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Net.Gates;
using Vigil.Security.Bans;
using Vigil.Security.Limits;
using Vigil.Security.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Security.Tests.Limits;

public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly TempStore _store = new();
    private readonly AutoBanOptions _autoBan = new();
    private BanList _bans = null!;

    public Task InitializeAsync()
    {
        _bans = new BanList(new SqliteBanStore(_store.Db), _autoBan, _time, NullLogger<BanList>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void New_connections_are_limited_per_network_per_protocol_per_minute()
    {
        var gate = new ConnectionRateGate(new RateLimitOptions { NewConnectionsPerMinute = 3 }, _autoBan, _bans, _time);
        var a = IPAddress.Parse("198.51.100.1");
        for (var i = 0; i < 3; i++) Assert.Null(gate.Check(a, "imap"));
        Assert.Equal(ConnectionRateGate.Reason, gate.Check(a, "imap"));
        Assert.Null(gate.Check(a, "pop3"));
        Assert.Null(gate.Check(IPAddress.Parse("198.51.100.2"), "imap"));
        Assert.Equal(ConnectionRateGate.Reason, gate.Check(IPAddress.Parse("::ffff:198.51.100.1"), "imap"));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(gate.Check(a, "imap"));
    }

    [Fact]
    public async Task Allow_listed_networks_are_not_rate_limited()
    {
        var admin = new BanAdministration(new SqliteBanStore(_store.Db), new RecordingAuditLog(), _time, _bans);
        await admin.AllowAsync(IPNetwork.Parse("192.0.2.0/24"), "office", new AuditActor("root", "test"), CancellationToken.None);
        var gate = new ConnectionRateGate(new RateLimitOptions { NewConnectionsPerMinute = 1 }, _autoBan, _bans, _time);
        var recipients = new RecipientRateLimiter(new RateLimitOptions { RecipientsPerHourPerIp = 1 }, _bans, _autoBan, _time);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(gate.Check(IPAddress.Parse("192.0.2.9"), "smtp"));
            Assert.True(recipients.TryTake(null, IPAddress.Parse("192.0.2.9")));
        }
    }

    [Fact]
    public void Recipients_per_hour_are_counted_per_account_or_per_network()
    {
        var limiter = new RecipientRateLimiter(new RateLimitOptions { RecipientsPerHourPerAccount = 2, RecipientsPerHourPerIp = 3 }, _bans, _autoBan, _time);
        var ip = IPAddress.Parse("2001:db8:1:2::5");
        Assert.True(limiter.TryTake(7, ip));
        Assert.True(limiter.TryTake(7, IPAddress.Parse("203.0.113.1")));
        Assert.False(limiter.TryTake(7, ip));
        Assert.True(limiter.TryTake(8, ip));
        for (var i = 0; i < 3; i++) Assert.True(limiter.TryTake(null, IPAddress.Parse($"2001:db8:1:2::{i + 10:x}")));
        Assert.False(limiter.TryTake(null, ip)); // the same /64
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.True(limiter.TryTake(7, ip));
        Assert.True(limiter.TryTake(null, ip));
    }
}
