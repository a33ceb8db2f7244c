using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Core.Submission;

namespace Vigil.Core.Tests.Outbound;

/// <summary>Who an authenticated account may send as, and the hourly limit.</summary>
public sealed class SubmissionRulesTests
{
    private static readonly Account Alice = new(1, 1, "alice", "example.test", "", 0, 0, false, false, default);

    private sealed class Policies : ISendPolicyStore
    {
        public List<string> Extra { get; } = [];
        public int? Rate { get; set; }
        public Task<SendPolicy> GetAsync(long accountId, CancellationToken ct) => Task.FromResult(accountId == Alice.Id ? new SendPolicy(Extra, Rate) : SendPolicy.None);
        public Task AllowSenderAsync(long accountId, string pattern, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> RevokeSenderAsync(long accountId, string pattern, CancellationToken ct) => throw new NotSupportedException();
        public Task SetRateAsync(long accountId, int? messagesPerHour, CancellationToken ct) => throw new NotSupportedException();
    }

    private readonly Policies _policies = new();
    private readonly InMemoryDirectory _directory = new();

    private SenderRules Rules => new(_directory, _policies);
    private Task<bool> May(string address) => Rules.MayUseAsync(Alice, EmailAddress.Parse(address), CancellationToken.None);

    [Fact]
    public async Task Own_address_tags_and_direct_aliases_are_allowed_catch_all_is_not()
    {
        _directory.Aliases["sales@example.test"] = ["alice@example.test", "carol@example.test"];
        _directory.Aliases["*@example.test"] = ["alice@example.test"];
        Assert.True(await May("alice@example.test"));
        Assert.True(await May("ALICE@example.test"));
        Assert.True(await May("alice+news@example.test"));
        Assert.True(await May("sales@example.test"));
        Assert.False(await May("anything@example.test")); // caught by the catch-all, still not hers
        Assert.False(await May("carol@example.test"));
        Assert.False(await May("alice@other.test"));
    }

    [Fact]
    public async Task Extra_patterns_widen_the_rule()
    {
        _policies.Extra.Add("*@other.test");
        _policies.Extra.Add("boss@example.test");
        Assert.True(await May("x@other.test"));
        Assert.True(await May("boss@example.test"));
        Assert.False(await May("x@third.test"));
        _policies.Extra.Add("*");
        Assert.True(await May("x@third.test"));
    }

    [Fact]
    public async Task Null_reverse_path_needs_the_star_grant()
    {
        var policy = new SubmissionPolicy(Rules, _policies, new SendRateLimiter(TimeProvider.System), 10);
        Assert.False(await policy.MayUseReversePathAsync(Alice, "", CancellationToken.None));
        _policies.Extra.Add("*");
        Assert.True(await policy.MayUseReversePathAsync(Alice, "", CancellationToken.None));
    }

    [Fact]
    public async Task From_header_is_checked_mailbox_by_mailbox()
    {
        var policy = new SubmissionPolicy(Rules, _policies, new SendRateLimiter(TimeProvider.System), 10);
        Task<string?> Foreign(string header) => policy.ForeignFromAsync(Alice, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(header + "\r\nSubject: x\r\n\r\nbody\r\n")), CancellationToken.None);
        Assert.Null(await Foreign("From: Alice <alice@example.test>"));
        Assert.Equal("ceo@example.test", await Foreign("From: Alice <alice@example.test>, CEO <ceo@example.test>"));
        Assert.Equal("x@evil.test", await Foreign("From: \"alice@example.test\" <x@evil.test>"));
        Assert.Null(await Foreign("X-No-From: here"));
    }

    [Fact]
    public void Rate_limit_counts_a_sliding_hour()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var limiter = new SendRateLimiter(clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.IsUnderLimit(1, 3));
            limiter.Record(1);
            clock.Advance(TimeSpan.FromMinutes(10));
        }
        Assert.False(limiter.IsUnderLimit(1, 3));
        Assert.True(limiter.IsUnderLimit(2, 3)); // per account
        clock.Advance(TimeSpan.FromMinutes(31)); // the first send is now more than an hour old
        Assert.True(limiter.IsUnderLimit(1, 3));
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("*@example.test", true)]
    [InlineData("a@example.test", true)]
    [InlineData("*@", false)]
    [InlineData("a@", false)]
    [InlineData("*@EXAMPLE.test", false)]
    public void Patterns_are_validated(string pattern, bool valid) => Assert.Equal(valid, SenderRules.IsValidPattern(pattern));
}
