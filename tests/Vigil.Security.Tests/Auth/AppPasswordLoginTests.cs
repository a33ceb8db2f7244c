using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Security.Auth;
using Vigil.Security.Bans;
using Vigil.Security.Passwords;
using Vigil.Security.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Security.Tests.Auth;

/// <summary>App passwords through <see cref="LoginService"/>: accepted for IMAP, POP3 and SMTP,
/// refused for HTTP, one Argon2id verification per attempt whatever exists, expired by a forced
/// reset, failures counted by the auto-ban.</summary>
public sealed class AppPasswordLoginTests : IAsyncLifetime
{
    private const string Alice = "alice@example.org";
    private const string AlicePassword = "correct horse";
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.1");
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempStore _store = new();
    private readonly CountingHasher _hasher = new(new Argon2idPasswordHasher(new Argon2Cost(64, 1, 1)));
    private SqliteDirectoryStore _directory = null!;
    private AccountService _accounts = null!;
    private AppPasswordService _appPasswords = null!;
    private Account _alice = null!;

    public async Task InitializeAsync()
    {
        _directory = new SqliteDirectoryStore(_store.Db);
        await _directory.AddDomainAsync("example.org", Ct);
        _accounts = new AccountService(_directory, _hasher);
        _appPasswords = new AppPasswordService(_directory, _hasher);
        _alice = await _accounts.CreateAsync(EmailAddress.Parse(Alice), AlicePassword, 0, false, Ct);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private LoginService Service(params IAuthAttemptObserver[] observers) =>
        new(_accounts, observers, [], new LoginOptions { FailureResponseTime = TimeSpan.Zero }, TimeProvider.System, NullLogger<LoginService>.Instance);

    [Fact]
    public async Task An_app_password_opens_imap_pop3_and_smtp_but_never_http()
    {
        var (_, phone) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        var service = Service();
        foreach (var protocol in new[] { LoginProtocol.Imap, LoginProtocol.Pop3, LoginProtocol.Smtp })
        {
            var ok = await service.LoginAsync(Client, protocol, Alice, phone, Ct);
            Assert.True(ok.Succeeded, protocol.ToString());
            Assert.Equal("phone", ok.AppPassword!.Name);
            Assert.Equal(_alice.Id, ok.Account!.Id);
        }
        _hasher.Verifications = 0;
        var web = await service.LoginAsync(Client, LoginProtocol.Http, Alice, phone, Ct);
        Assert.Equal(AuthResult.Failed, web); // the same answer as a wrong password
        Assert.Equal(1, _hasher.Verifications);
        Assert.True((await service.LoginAsync(Client, LoginProtocol.Http, Alice, AlicePassword, Ct)).Succeeded);
        Assert.True((await service.LoginAsync(Client, LoginProtocol.Imap, Alice, AlicePassword, Ct)).Succeeded); // the account password still works
        Assert.NotNull((await _directory.FindAppPasswordAsync(_alice.Id, phone[..4], Ct))!.LastUsed);
    }

    [Fact]
    public async Task The_session_remembers_which_app_password_opened_it()
    {
        var (entry, phone) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        var service = Service();
        var withApp = new SessionScope("imap", Client);
        var withPassword = new SessionScope("imap", Client);
        await Task.Run(async () =>
        {
            SessionScope.Current = withApp;
            Assert.True((await service.LoginAsync(Client, LoginProtocol.Imap, Alice, phone, Ct)).Succeeded);
        });
        await Task.Run(async () =>
        {
            SessionScope.Current = withPassword;
            Assert.True((await service.LoginAsync(Client, LoginProtocol.Imap, Alice, AlicePassword, Ct)).Succeeded);
        });
        Assert.Equal((_alice.Id, entry.Id), (withApp.AccountId, withApp.AppPasswordId));
        Assert.Equal((_alice.Id, (long?)null), (withPassword.AccountId, withPassword.AppPasswordId));
    }

    [Fact]
    public async Task Each_app_password_is_revoked_on_its_own()
    {
        var (_, phone) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        var (_, laptop) = await _appPasswords.CreateAsync(_alice, "laptop", Ct);
        var service = Service();
        Assert.Equal("phone", (await _appPasswords.RevokeAsync(_alice, "PHONE", Ct))!.Name);
        Assert.Equal(AuthResult.Failed, await service.LoginAsync(Client, LoginProtocol.Imap, Alice, phone, Ct));
        Assert.True((await service.LoginAsync(Client, LoginProtocol.Imap, Alice, laptop, Ct)).Succeeded);
        Assert.Null(await _appPasswords.RevokeAsync(_alice, "phone", Ct));
    }

    [Fact]
    public async Task Every_attempt_verifies_exactly_one_hash_whether_the_user_or_the_app_password_exists()
    {
        var (_, phone) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        for (var i = 0; i < 3; i++) await _appPasswords.CreateAsync(_alice, "extra" + i, Ct);
        await _appPasswords.RevokeAsync(_alice, "extra0", Ct);
        var wrongSecret = phone[..5] + AppPasswordFormat.Generate()[5..];
        var service = Service();
        var attempts = new (string User, string Password)[]
        {
            ("nobody@example.org", phone),          // unknown user, app-password shape
            ("nobody@example.org", "guess"),        // unknown user
            (Alice, wrongSecret),                   // the right selector, a wrong secret
            (Alice, AppPasswordFormat.Generate()),  // a selector alice does not have
            (Alice, "guess"),                       // a wrong account password
            ("not an address", phone),
        };
        foreach (var (user, password) in attempts)
        {
            _hasher.Verifications = 0;
            Assert.Equal(AuthResult.Failed, await service.LoginAsync(Client, LoginProtocol.Imap, user, password, Ct));
            Assert.Equal(1, _hasher.Verifications);
        }
    }

    [Fact]
    public async Task A_forced_reset_refuses_app_passwords_as_expired_and_a_new_password_revokes_them()
    {
        var (_, phone) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        var service = Service();
        await _directory.SetPasswordAsync(_alice.Id, _alice.PasswordHash, expired: true, Ct); // what ForcedResetService does
        var expired = await service.LoginAsync(Client, LoginProtocol.Smtp, Alice, phone, Ct);
        Assert.Equal(AuthOutcome.PasswordExpired, expired.Outcome);
        Assert.False(expired.Succeeded);
        Assert.Equal(AuthResult.Failed, await service.LoginAsync(Client, LoginProtocol.Http, Alice, phone, Ct));
        var reset = (await _directory.GetAccountByIdAsync(_alice.Id, Ct))!;
        await Assert.ThrowsAsync<InvalidOperationException>(() => _appPasswords.CreateAsync(reset, "new", Ct));

        await _accounts.SetPasswordAsync(reset, "a new passphrase", Ct);
        Assert.Equal(AuthResult.Failed, await service.LoginAsync(Client, LoginProtocol.Smtp, Alice, phone, Ct)); // revoked, not restored
        Assert.Empty(await _appPasswords.ListAsync(_alice, Ct));
        var (_, fresh) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        Assert.True((await service.LoginAsync(Client, LoginProtocol.Smtp, Alice, fresh, Ct)).Succeeded);
    }

    [Fact]
    public async Task Failed_app_password_logins_count_toward_the_auto_ban()
    {
        var (_, phone) = await _appPasswords.CreateAsync(_alice, "phone", Ct);
        await _appPasswords.RevokeAsync(_alice, "phone", Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new AutoBanOptions { MaxFailuresPerIp = 3 };
        var bans = new BanList(new SqliteBanStore(_store.Db), options, time, NullLogger<BanList>.Instance);
        var banner = new AutoBanner(bans, options, time, NullLogger<AutoBanner>.Instance);
        var service = new LoginService(_accounts, [banner], [new BanThrottle(bans)], new LoginOptions { FailureResponseTime = TimeSpan.Zero }, time, NullLogger<LoginService>.Instance);
        await service.LoginAsync(Client, LoginProtocol.Imap, Alice, phone, Ct);                        // revoked
        await service.LoginAsync(Client, LoginProtocol.Pop3, Alice, AppPasswordFormat.Generate(), Ct); // wrong
        Assert.Equal(2, banner.FailuresFrom(Client));
        await service.LoginAsync(Client, LoginProtocol.Http, Alice, phone, Ct);                        // refused on HTTP counts too
        await banner.DrainAsync();
        Assert.NotNull(bans.FindActive(Client));
    }

    [Fact]
    public async Task Names_are_validated_and_unique_per_account_and_the_password_is_not_stored()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _appPasswords.CreateAsync(_alice, "../etc", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _appPasswords.CreateAsync(_alice, "", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _appPasswords.CreateAsync(_alice, new string('a', 65), Ct));
        var (entry, password) = await _appPasswords.CreateAsync(_alice, "Thunder_bird-2.0", Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _appPasswords.CreateAsync(_alice, "thunder_bird-2.0", Ct));
        Assert.True(AppPasswordFormat.TryGetSelector(password, out var selector));
        Assert.Equal(selector, entry.Selector);
        Assert.StartsWith("$argon2id$", entry.Hash, StringComparison.Ordinal);
        Assert.DoesNotContain(password[5..], entry.Hash, StringComparison.Ordinal);
        Assert.Matches("^([a-km-zA-HJ-NP-Z2-9]{4}-){5}[a-km-zA-HJ-NP-Z2-9]{4}$", password);
        Assert.NotEqual(password, (await _appPasswords.CreateAsync(_alice, "other", Ct)).Password);
        Assert.False(AppPasswordFormat.TryGetSelector("correct horse battery stap", out _));
    }
}
