using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Security.Auth;
using Vigil.Security.Bans;
using Vigil.Security.Passwords;
using Vigil.Security.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Security.Tests.Auth;

public sealed class LoginServiceTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private readonly CountingHasher _hasher = new(new Argon2idPasswordHasher(new Argon2Cost(64, 1, 1)));
    private AccountService _accounts = null!;
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.1");

    public async Task InitializeAsync()
    {
        var directory = new SqliteDirectoryStore(_store.Db);
        await directory.AddDomainAsync("example.org", CancellationToken.None);
        _accounts = new AccountService(directory, _hasher);
        await _accounts.CreateAsync(EmailAddress.Parse("alice@example.org"), "correct horse", 0, false, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private LoginService Service(TimeProvider time, TimeSpan failureTime, params ILoginThrottle[] throttles) =>
        new(_accounts, [], throttles, new LoginOptions { FailureResponseTime = failureTime }, time, NullLogger<LoginService>.Instance);

    [Fact]
    public async Task Unknown_users_and_wrong_passwords_cost_the_same_work_and_give_the_same_answer()
    {
        var service = Service(TimeProvider.System, TimeSpan.Zero);
        _hasher.Verifications = 0;
        var wrong = await service.LoginAsync(Client, LoginProtocol.Smtp, "alice@example.org", "guess", CancellationToken.None);
        Assert.Equal(1, _hasher.Verifications);
        var unknown = await service.LoginAsync(Client, LoginProtocol.Smtp, "nobody@example.org", "guess", CancellationToken.None);
        Assert.Equal(2, _hasher.Verifications);
        Assert.Equal(wrong, unknown);
        Assert.Equal(AuthOutcome.InvalidCredentials, wrong.Outcome);
        Assert.Null(wrong.Account);
    }

    [Fact]
    public async Task Every_failure_takes_the_failure_response_time_and_success_does_not()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var service = Service(time, TimeSpan.FromSeconds(2));
        foreach (var user in new[] { "alice@example.org", "nobody@example.org", "not an address" })
        {
            var pending = service.LoginAsync(Client, LoginProtocol.Imap, user, "guess", CancellationToken.None);
            await Task.Delay(100);
            Assert.False(pending.IsCompleted, user);
            time.Advance(TimeSpan.FromSeconds(1.9));
            await Task.Delay(20);
            Assert.False(pending.IsCompleted, user);
            time.Advance(TimeSpan.FromSeconds(0.1));
            Assert.False((await pending.WaitAsync(TimeSpan.FromSeconds(10))).Succeeded);
        }
        var ok = await service.LoginAsync(Client, LoginProtocol.Imap, "alice@example.org", "correct horse", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ok.Succeeded);
    }

    [Fact]
    public async Task The_failure_response_time_holds_on_the_wall_clock()
    {
        var service = Service(TimeProvider.System, TimeSpan.FromMilliseconds(300));
        var sw = Stopwatch.StartNew();
        Assert.False((await service.LoginAsync(Client, LoginProtocol.Imap, "nobody@example.org", "guess", CancellationToken.None)).Succeeded);
        Assert.InRange(sw.ElapsedMilliseconds, 295, 30_000);
    }

    [Fact]
    public async Task A_banned_client_is_refused_even_with_the_right_password_without_checking_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new AutoBanOptions { MaxFailuresPerIp = 1 };
        var bans = new BanList(new SqliteBanStore(_store.Db), options, time, NullLogger<BanList>.Instance);
        var banner = new AutoBanner(bans, options, time, NullLogger<AutoBanner>.Instance);
        var service = new LoginService(_accounts, [banner], [new BanThrottle(bans)], new LoginOptions { FailureResponseTime = TimeSpan.Zero }, time, NullLogger<LoginService>.Instance);
        Assert.False((await service.LoginAsync(Client, LoginProtocol.Pop3, "alice@example.org", "guess", CancellationToken.None)).Succeeded);
        await banner.DrainAsync();
        _hasher.Verifications = 0;
        var result = await service.LoginAsync(Client, LoginProtocol.Pop3, "alice@example.org", "correct horse", CancellationToken.None);
        Assert.Equal(AuthResult.Failed, result);
        Assert.Equal(0, _hasher.Verifications);
        Assert.True((await service.LoginAsync(IPAddress.Parse("192.0.2.1"), LoginProtocol.Pop3, "alice@example.org", "correct horse", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task A_throttled_account_waits_before_its_password_is_checked()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new AutoBanOptions { FreeAccountFailures = 0 };
        var throttle = new AccountThrottle(options, time);
        var service = new LoginService(_accounts, [throttle], [throttle], new LoginOptions { FailureResponseTime = TimeSpan.Zero }, time, NullLogger<LoginService>.Instance);
        Assert.False((await service.LoginAsync(Client, LoginProtocol.Imap, "alice@example.org", "guess", CancellationToken.None)).Succeeded);

        _hasher.Verifications = 0;
        var pending = service.LoginAsync(Client, LoginProtocol.Imap, "alice@example.org", "correct horse", CancellationToken.None);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, _hasher.Verifications);
        time.Advance(options.LoginDelayStep);
        Assert.True((await pending.WaitAsync(TimeSpan.FromSeconds(10))).Succeeded);
    }

    [Fact]
    public async Task Password_checks_run_at_most_the_configured_number_at_once()
    {
        var service = new LoginService(_accounts, [], [], new LoginOptions { FailureResponseTime = TimeSpan.Zero, MaxConcurrentChecks = 2 },
            TimeProvider.System, NullLogger<LoginService>.Instance);
        _hasher.Delay = TimeSpan.FromMilliseconds(30);
        var logins = Enumerable.Range(0, 12).Select(i => Task.Run(() => service.LoginAsync(Client, LoginProtocol.Imap, "alice@example.org", i % 2 == 0 ? "correct horse" : "guess", CancellationToken.None)));
        var results = await Task.WhenAll(logins);
        Assert.Equal(6, results.Count(r => r.Succeeded));
        Assert.InRange(_hasher.MaxConcurrent, 1, 2);
    }
}
