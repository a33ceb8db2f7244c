using Vigil.Core.Delivery;
using Vigil.Core.Model;
using Vigil.Core.Outbound;

namespace Vigil.Core.Tests.Outbound;

/// <summary>The retry and notice rules: what state a recipient takes after an attempt and which
/// RFC 3464 notice its sender is owed, per RFC 3461 NOTIFY.</summary>
public sealed class AttemptRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly OutboundOptions Options = new() { FirstRetry = TimeSpan.FromMinutes(5), MaxRetryInterval = TimeSpan.FromHours(2), DelayWarning = TimeSpan.FromHours(4), MaxAge = TimeSpan.FromDays(5) };
    private readonly AttemptRecorder _recorder = new(new RetryPolicy(Options));

    private static QueuedMessage Message(string sender = "alice@example.test") =>
        new("AAAAAAAAAAAA", BlobId.Compute("x"u8), 1, new Envelope(sender, [], null, DsnReturn.Default, BodyType.SevenBit, false, null, "127.0.0.1", "h"), T0);

    private static QueueRecipient Recipient(DsnNotify notify = DsnNotify.Default, int attempts = 0, bool delayReported = false) =>
        new(7, "AAAAAAAAAAAA", "bob@remote.test", "remote.test", notify, null, new RecipientProgress(RecipientState.Pending, attempts, T0, null, null, null, null, delayReported, null));

    private static RecipientResult Result(AttemptOutcome outcome, string status = "2.0.0", bool remoteDsn = false) =>
        new(7, outcome, status, outcome == AttemptOutcome.Delivered ? "250 2.0.0 Ok" : "450 4.2.0 busy", true, "mx.remote.test", remoteDsn);

    [Fact]
    public void Delivered_is_final_and_owes_nothing_by_default()
    {
        var u = _recorder.Record(Message(), Recipient(), Result(AttemptOutcome.Delivered), T0, 0.5);
        Assert.Equal(RecipientState.Delivered, u.Progress.State);
        Assert.Null(u.Progress.Notice);
        Assert.Equal("smtp; 250 2.0.0 Ok", u.Progress.LastError);
    }

    [Fact]
    public void Notify_success_owes_relayed_only_when_the_next_hop_cannot_carry_dsn()
    {
        var noDsn = _recorder.Record(Message(), Recipient(DsnNotify.Success), Result(AttemptOutcome.Delivered, remoteDsn: false), T0, 0.5);
        Assert.Equal(DsnAction.Relayed, noDsn.Progress.Notice);
        var dsn = _recorder.Record(Message(), Recipient(DsnNotify.Success), Result(AttemptOutcome.Delivered, remoteDsn: true), T0, 0.5);
        Assert.Null(dsn.Progress.Notice);
    }

    [Theory]
    [InlineData(DsnNotify.Default, true)]
    [InlineData(DsnNotify.Failure, true)]
    [InlineData(DsnNotify.Failure | DsnNotify.Delay, true)]
    [InlineData(DsnNotify.Success, false)]
    [InlineData(DsnNotify.Never, false)]
    public void Permanent_failure_bounces_as_notify_asks(DsnNotify notify, bool bounces)
    {
        var u = _recorder.Record(Message(), Recipient(notify), Result(AttemptOutcome.Failed, "5.1.1"), T0, 0.5);
        Assert.Equal(RecipientState.Failed, u.Progress.State);
        Assert.Equal("5.1.1", u.Progress.Status);
        Assert.Equal(bounces ? DsnAction.Failed : null, u.Progress.Notice);
    }

    [Fact]
    public void Null_sender_never_gets_a_notice()
    {
        var u = _recorder.Record(Message(sender: ""), Recipient(DsnNotify.Failure | DsnNotify.Success), Result(AttemptOutcome.Failed, "5.1.1"), T0, 0.5);
        Assert.Equal(RecipientState.Failed, u.Progress.State);
        Assert.Null(u.Progress.Notice);
    }

    [Fact]
    public void Deferral_backs_off_exponentially_up_to_the_cap()
    {
        var delays = new List<TimeSpan>();
        var recipient = Recipient();
        for (var i = 0; i < 8; i++)
        {
            var u = _recorder.Record(Message(), recipient, Result(AttemptOutcome.Deferred, "4.2.0"), T0, 0.5);
            Assert.Equal(RecipientState.Pending, u.Progress.State);
            delays.Add(u.Progress.NextAttempt - T0);
            recipient = recipient with { Progress = u.Progress };
        }
        Assert.Equal([5, 10, 20, 40, 80, 120, 120, 120], delays.Select(d => (int)d.TotalMinutes));
    }

    [Fact]
    public void Delay_warning_is_owed_once_after_the_warning_time_when_notify_allows()
    {
        var later = T0 + TimeSpan.FromHours(4.5);
        var first = _recorder.Record(Message(), Recipient(attempts: 5), Result(AttemptOutcome.Deferred, "4.2.0"), later, 0.5);
        Assert.Equal(DsnAction.Delayed, first.Progress.Notice);
        Assert.True(first.Progress.DelayReported);
        var again = _recorder.Record(Message(), Recipient(attempts: 6, delayReported: true), Result(AttemptOutcome.Deferred, "4.2.0"), later, 0.5);
        Assert.Null(again.Progress.Notice);
        var early = _recorder.Record(Message(), Recipient(attempts: 1), Result(AttemptOutcome.Deferred, "4.2.0"), T0 + TimeSpan.FromHours(1), 0.5);
        Assert.Null(early.Progress.Notice);
        var failureOnly = _recorder.Record(Message(), Recipient(DsnNotify.Failure, attempts: 5), Result(AttemptOutcome.Deferred, "4.2.0"), later, 0.5);
        Assert.Null(failureOnly.Progress.Notice);
    }

    [Fact]
    public void A_recipient_still_deferred_at_max_age_fails_with_4_4_7_and_the_last_error()
    {
        var u = _recorder.Record(Message(), Recipient(attempts: 40), Result(AttemptOutcome.Deferred, "4.2.0"), T0 + TimeSpan.FromDays(5), 0.5);
        Assert.Equal(RecipientState.Failed, u.Progress.State);
        Assert.Equal("4.4.7", u.Progress.Status);
        Assert.Equal("smtp; 450 4.2.0 busy", u.Progress.LastError);
        Assert.Equal(DsnAction.Failed, u.Progress.Notice);
    }

    [Fact]
    public void Jitter_stays_within_ten_percent()
    {
        var policy = new RetryPolicy(Options);
        Assert.Equal(TimeSpan.FromMinutes(4.5), policy.Delay(1, 0));
        Assert.Equal(TimeSpan.FromMinutes(5.5), policy.Delay(1, 1));
    }
}
