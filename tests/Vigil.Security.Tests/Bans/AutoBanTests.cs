using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Model;
using Vigil.Net.Gates;
using Vigil.Security.Auth;
using Vigil.Security.Bans;
using Vigil.Security.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Security.Tests.Bans;

public sealed class AutoBanTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly AutoBanOptions _options = new();
    private readonly TempStore _store = new();
    private BanList _bans = null!;
    private AutoBanner _banner = null!;

    public Task InitializeAsync()
    {
        (_bans, _banner) = Create();
        return _bans.RefreshAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private (BanList, AutoBanner) Create()
    {
        var bans = new BanList(new SqliteBanStore(_store.Db), _options, _time, NullLogger<BanList>.Instance);
        return (bans, new AutoBanner(bans, _options, _time, NullLogger<AutoBanner>.Instance));
    }

    private void Fail(string ip, string protocol = "smtp", string user = "alice@example.org") =>
        _banner.Record(new AuthAttempt(IPAddress.Parse(ip), user, protocol, false, _time.GetUtcNow()));

    private string? Gate(string ip) => new BanGate(_bans).Check(IPAddress.Parse(ip), "smtp");

    [Fact]
    public async Task Failures_across_protocols_ban_the_address_at_the_threshold()
    {
        string[] protocols = ["smtp", "imap", "pop3", "http"];
        for (var i = 0; i < _options.MaxFailuresPerIp - 1; i++) Fail("198.51.100.9", protocols[i % 4]);
        Assert.Null(Gate("198.51.100.9"));
        Fail("198.51.100.9", "imap");
        await _banner.DrainAsync();
        Assert.Equal(BanGate.Reason, Gate("198.51.100.9"));
        Assert.Equal(BanGate.Reason, Gate("::ffff:198.51.100.9")); // same client on a dual-mode socket
        Assert.Null(Gate("198.51.100.10"));
        var ban = Assert.Single(_bans.Bans);
        Assert.Equal(BanSource.Automatic, ban.Source);
        Assert.Equal(_time.GetUtcNow() + _options.InitialBan, ban.Expires);
        Assert.Contains("imap", ban.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_spread_beyond_the_window_do_not_ban()
    {
        for (var i = 0; i < _options.MaxFailuresPerIp * 3; i++)
        {
            Fail("198.51.100.9");
            _time.Advance(_options.FailureWindow / (_options.MaxFailuresPerIp - 2));
        }
        await _banner.DrainAsync();
        Assert.Null(Gate("198.51.100.9"));
    }

    [Fact]
    public async Task A_ban_survives_a_restart_and_ends_when_it_expires()
    {
        for (var i = 0; i < _options.MaxFailuresPerIp; i++) Fail("203.0.113.5");
        await _banner.DrainAsync();

        await _store.ReopenAsync();
        (_bans, _banner) = Create();
        Assert.Null(Gate("203.0.113.5")); // nothing in memory before the store is read
        await _bans.RefreshAsync(CancellationToken.None);
        Assert.NotNull(Gate("203.0.113.5"));

        _time.Advance(_options.InitialBan - TimeSpan.FromSeconds(1));
        Assert.NotNull(Gate("203.0.113.5"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(Gate("203.0.113.5"));
    }

    [Fact]
    public async Task Each_repeat_offence_bans_for_longer_up_to_the_maximum()
    {
        var lengths = new List<TimeSpan>();
        for (var offence = 1; offence <= 7; offence++)
        {
            for (var i = 0; i < _options.MaxFailuresPerIp; i++) Fail("203.0.113.5");
            await _banner.DrainAsync();
            var ban = _bans.FindActive(IPAddress.Parse("203.0.113.5"))!;
            Assert.Equal(offence, ban.Offenses);
            lengths.Add(ban.Expires!.Value - ban.Created);
            _time.Advance(lengths[^1] + TimeSpan.FromMinutes(1));
            Assert.Null(Gate("203.0.113.5"));
        }
        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(16), TimeSpan.FromHours(64), TimeSpan.FromDays(7), TimeSpan.FromDays(7)], lengths);

        // The history is forgotten after ForgetAfter: the next ban is a first offence again.
        _time.Advance(_options.ForgetAfter + TimeSpan.FromDays(1));
        await _bans.RefreshAsync(CancellationToken.None);
        for (var i = 0; i < _options.MaxFailuresPerIp; i++) Fail("203.0.113.5");
        await _banner.DrainAsync();
        Assert.Equal(1, _bans.FindActive(IPAddress.Parse("203.0.113.5"))!.Offenses);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.4.4")]
    [InlineData("192.168.1.20")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    public async Task Private_and_loopback_addresses_are_not_exempt_by_default(string ip)
    {
        for (var i = 0; i < _options.MaxFailuresPerIp; i++) Fail(ip);
        await _banner.DrainAsync();
        Assert.NotNull(Gate(ip));
    }

    [Fact]
    public async Task An_IPv6_client_is_banned_for_its_whole_slash_64()
    {
        for (var i = 0; i < _options.MaxFailuresPerIp; i++) Fail($"2001:db8:5:6::{i + 1:x}");
        await _banner.DrainAsync();
        Assert.NotNull(Gate("2001:db8:5:6:ffff::1"));
        Assert.Null(Gate("2001:db8:5:7::1"));
    }

    [Fact]
    public async Task Networks_on_the_allow_list_are_never_counted_or_banned()
    {
        var audit = new RecordingAuditLog();
        var admin = new BanAdministration(new SqliteBanStore(_store.Db), audit, _time, _bans);
        Assert.True(Networks.TryParse("192.0.2.0/24", out var office));
        Assert.True(await admin.AllowAsync(office, "office NAT", new AuditActor("root", "cli"), CancellationToken.None));
        for (var i = 0; i < _options.MaxFailuresPerIp * 2; i++) Fail("192.0.2.77");
        await _banner.DrainAsync();
        Assert.Null(Gate("192.0.2.77"));
        Assert.Equal(0, _banner.FailuresFrom(IPAddress.Parse("192.0.2.77")));

        // Even an admin ban of an allow-listed host does not take effect while it is listed.
        await admin.BanAsync(IPNetwork.Parse("192.0.2.77/32"), null, "test", new AuditActor("root", "cli"), CancellationToken.None);
        Assert.Null(Gate("192.0.2.77"));
        Assert.True(await admin.DisallowAsync(office, new AuditActor("root", "cli"), CancellationToken.None));
        Assert.NotNull(Gate("192.0.2.77"));

        Assert.Equal(["ban.allow.add", "ban.add", "ban.allow.remove"], audit.Events.Select(e => e.Action));
        Assert.Equal("192.0.2.0/24", audit.Events[0].Target);
        Assert.Equal("office NAT", audit.Events[0].Details!["note"]);
    }

    [Fact]
    public async Task Admin_bans_are_permanent_unless_given_a_duration_and_auto_bans_never_shorten_them()
    {
        var audit = new RecordingAuditLog();
        var admin = new BanAdministration(new SqliteBanStore(_store.Db), audit, _time, live: null);
        await admin.BanAsync(IPNetwork.Parse("198.51.100.0/24"), null, "abuse report", new AuditActor("root", "cli"), CancellationToken.None);
        await admin.BanAsync(IPNetwork.Parse("203.0.113.9/32"), TimeSpan.FromHours(2), "probe", new AuditActor("root", "cli"), CancellationToken.None);
        Assert.Null(Gate("198.51.100.4")); // another process (the CLI) wrote it: seen at the next refresh
        await _bans.RefreshAsync(CancellationToken.None);
        Assert.NotNull(Gate("198.51.100.4"));
        Assert.NotNull(Gate("203.0.113.9"));

        for (var i = 0; i < _options.MaxFailuresPerIp; i++) Fail("203.0.113.9");
        await _banner.DrainAsync();
        Assert.Equal(BanSource.Admin, _bans.FindActive(IPAddress.Parse("203.0.113.9"))!.Source);

        _time.Advance(TimeSpan.FromDays(365));
        Assert.NotNull(Gate("198.51.100.4"));
        Assert.Null(Gate("203.0.113.9"));

        Assert.True(await admin.UnbanAsync(IPNetwork.Parse("198.51.100.0/24"), new AuditActor("root", "cli"), CancellationToken.None));
        Assert.False(await admin.UnbanAsync(IPNetwork.Parse("198.51.100.0/24"), new AuditActor("root", "cli"), CancellationToken.None));
        await _bans.RefreshAsync(CancellationToken.None);
        Assert.Null(Gate("198.51.100.4"));
        Assert.Equal(["ban.add", "ban.add", "ban.remove"], audit.Events.Select(e => e.Action));
    }

    [Fact]
    public async Task The_refresh_loop_picks_up_changes_made_by_another_process()
    {
        using var cts = new CancellationTokenSource();
        var loop = _bans.RunRefreshLoopAsync(cts.Token);
        var admin = new BanAdministration(new SqliteBanStore(_store.Db), new RecordingAuditLog(), _time, live: null);
        await admin.BanAsync(IPNetwork.Parse("198.51.100.7/32"), null, "cli", new AuditActor("root", "cli"), CancellationToken.None);
        for (var i = 0; i < 100 && Gate("198.51.100.7") is null; i++)
        {
            _time.Advance(_options.RefreshInterval);
            await Task.Delay(20);
        }
        Assert.NotNull(Gate("198.51.100.7"));
        await cts.CancelAsync();
        await loop;
    }
}
